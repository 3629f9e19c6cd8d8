using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>
/// Payment intent id -> order id, written at intake, and every relayed payment event kept as a notice (pending until it
/// reached the order's workflow), so an event that arrives before its order is held, never dropped.
/// </summary>
public interface IPaymentEventStore
{
    /// <summary>
    /// Binds a payment intent to the order it pays for; the first order to claim it keeps it (insert-if-absent, never
    /// overwritten). Returns the order the intent is bound to: <paramref name="orderId"/> when it is the first (or claims
    /// it again), otherwise the order that claimed it first.
    /// </summary>
    Task<string> RecordOrderAsync(string paymentIntentId, string orderId, CancellationToken cancellationToken = default);

    Task<string?> FindOrderAsync(string paymentIntentId, CancellationToken cancellationToken = default);

    /// <summary>Keeps a notice as pending; a notice with the same event id is kept once. False when it was already kept.</summary>
    Task<bool> AddPendingAsync(PaymentEventNotice notice, CancellationToken cancellationToken = default);

    /// <summary>Notices of a payment intent not yet relayed, oldest event first.</summary>
    Task<IReadOnlyList<PaymentEventNotice>> GetPendingAsync(string paymentIntentId, CancellationToken cancellationToken = default);

    /// <summary>Marks a notice as relayed to the order's workflow (kept for audit).</summary>
    Task MarkRaisedAsync(string paymentIntentId, string eventId, string orderId, CancellationToken cancellationToken = default);
}
