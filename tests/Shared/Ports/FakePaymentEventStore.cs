using System.Collections.Concurrent;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>
/// In-memory payment index: the first order to claim an intent keeps it, like the Payments table; pending notices are
/// kept once per event id until marked relayed (<see cref="Relayed"/> lists what was marked, in order).
/// </summary>
public sealed class FakePaymentEventStore : IPaymentEventStore
{
    private readonly ConcurrentDictionary<string, string> orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Intent, string EventId), PaymentEventNotice> pending = new();

    /// <summary>(event id, order id) of every notice marked relayed.</summary>
    public ConcurrentQueue<(string EventId, string OrderId)> Relayed { get; } = new();

    /// <summary>Drops the intents bound to <paramref name="orderId"/> (the bench's long runs).</summary>
    public void Forget(string orderId)
    {
        foreach (var binding in this.orders.Where(o => o.Value == orderId))
        {
            this.orders.TryRemove(binding);
        }
    }

    public Task<string> RecordOrderAsync(string paymentIntentId, string orderId, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.orders.GetOrAdd(paymentIntentId, orderId));

    public Task<string?> FindOrderAsync(string paymentIntentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.orders.TryGetValue(paymentIntentId, out var orderId) ? orderId : null);

    public Task<bool> AddPendingAsync(PaymentEventNotice notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return Task.FromResult(this.pending.TryAdd((notice.PaymentIntentId, notice.EventId), notice));
    }

    public Task<IReadOnlyList<PaymentEventNotice>> GetPendingAsync(string paymentIntentId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PaymentEventNotice>>(
            [.. this.pending.Where(p => p.Key.Intent == paymentIntentId).Select(p => p.Value).OrderBy(n => n.OccurredAt)]);

    public Task MarkRaisedAsync(string paymentIntentId, string eventId, string orderId, CancellationToken cancellationToken = default)
    {
        if (this.pending.TryRemove((paymentIntentId, eventId), out _))
        {
            this.Relayed.Enqueue((eventId, orderId));
        }

        return Task.CompletedTask;
    }
}
