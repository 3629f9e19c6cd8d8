using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>Durable record of orders: canonical data, status, fulfillments, timeline.</summary>
public interface IOrderStore
{
    /// <summary>Stores a new order with status Received. Returns false when it already exists (idempotent).</summary>
    Task<bool> CreateAsync(Order order, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task<OrderRecord?> GetAsync(string orderId, CancellationToken cancellationToken = default);

    /// <summary>Moves the order along an allowed transition and records it on the timeline.</summary>
    Task TransitionAsync(string orderId, OrderStatus to, string note, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the order's shipping address (a person's correction) and notes on the timeline who corrected it;
    /// the address itself stays off the timeline.
    /// </summary>
    Task UpdateShippingAddressAsync(string orderId, Address address, string correctedBy, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the channel's payment facts of a channel-paid order (a later webhook says it is paid now) and notes
    /// <paramref name="note"/> on the timeline; the same facts again change nothing.
    /// </summary>
    Task UpdateChannelPaymentAsync(string orderId, ChannelPayment payment, string note, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task AppendTimelineAsync(string orderId, TimelineEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a refund the payment provider made (<paramref name="result"/> of <paramref name="refund"/>) by noting
    /// <paramref name="entry"/> on the timeline; a store that keeps the storefront informed also records it for write-back.
    /// Called again for a retried step: the timeline gets the entry again, a write-back is recorded once.
    /// </summary>
    Task RecordRefundAsync(string orderId, RefundPaymentRequest refund, RefundResult result, TimelineEntry entry, CancellationToken cancellationToken = default) =>
        AppendTimelineAsync(orderId, entry, cancellationToken);

    Task UpsertFulfillmentAsync(string orderId, FulfillmentRecord fulfillment, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ids of the orders last updated (created, moved along or completed, address corrected) in [<paramref name="from"/>,
    /// <paramref name="to"/>), at most <paramref name="limit"/> of them, in no particular order (reconciliation's range).
    /// </summary>
    Task<IReadOnlyList<string>> ListOrdersAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Orders whose status is <paramref name="status"/> and whose last update is before <paramref name="updatedBefore"/>
    /// (the watchdog's stuck orders), at most <paramref name="limit"/> of them, in no particular order.
    /// </summary>
    Task<IReadOnlyList<OrderInStatus>> ListOrdersInStatusAsync(OrderStatus status, DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken = default);
}
