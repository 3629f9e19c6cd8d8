using System.Collections.Concurrent;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>In-memory payment index: the first order to claim an intent keeps it, like the Payments table.</summary>
public sealed class FakePaymentEventStore : IPaymentEventStore
{
    private readonly ConcurrentDictionary<string, string> orders = new(StringComparer.Ordinal);

    public Task<string> RecordOrderAsync(string paymentIntentId, string orderId, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.orders.GetOrAdd(paymentIntentId, orderId));

    public Task<string?> FindOrderAsync(string paymentIntentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.orders.TryGetValue(paymentIntentId, out var orderId) ? orderId : null);

    public Task<bool> AddPendingAsync(PaymentEventNotice notice, CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<IReadOnlyList<PaymentEventNotice>> GetPendingAsync(string paymentIntentId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PaymentEventNotice>>([]);

    public Task MarkRaisedAsync(string paymentIntentId, string eventId, string orderId, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
