using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>Inbound deliveries (webhooks): dedupe by delivery id and keep every payload, accepted or rejected.</summary>
public interface IDeliveryStore
{
    /// <summary>Records an accepted delivery and its canonical order under a unique key. False when the id was seen before.</summary>
    Task<bool> TryRecordAcceptedAsync(WebhookDelivery delivery, Order order, CancellationToken cancellationToken = default);

    /// <summary>
    /// An order's first delivery in one write: claims <paramref name="order"/>'s id for the delivery's
    /// <see cref="WebhookDelivery.ContentHash"/> and records the delivery as accepted, both or neither. False when the
    /// order id is already claimed or the delivery id already recorded, or when this store cannot write the two together;
    /// then nothing was written, and the caller claims (<see cref="ClaimOrderAsync"/>) and records
    /// (<see cref="TryRecordAcceptedAsync"/>) one at a time, which tells which of the two was taken.
    /// </summary>
    Task<bool> TryRecordNewOrderAsync(WebhookDelivery delivery, Order order, CancellationToken cancellationToken = default);

    /// <summary>
    /// Undoes <see cref="TryRecordNewOrderAsync"/> for a delivery found to conflict with an order claimed before it (by
    /// <see cref="ClaimOrderAsync"/>'s answer): removes the accepted record of the delivery and the claim it made, each
    /// only while it still names this delivery and content. The caller then records the delivery as rejected.
    /// </summary>
    Task WithdrawNewOrderAsync(WebhookDelivery delivery, Order order, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims <paramref name="orderId"/> for the content hashed as <paramref name="contentHash"/>; the first claim wins.
    /// Returns the claim that holds: this one, or the earlier one (whose hash may differ: a conflict).
    /// </summary>
    Task<OrderContentClaim> ClaimOrderAsync(string orderId, string contentHash, string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives back the claim on <paramref name="orderId"/> made by a delivery that was then refused (its delivery id was
    /// taken by another body), so the refused body never holds the order id. Removes it only while it still names this
    /// <paramref name="contentHash"/> and <paramref name="deliveryId"/>; otherwise does nothing.
    /// </summary>
    Task ReleaseOrderClaimAsync(string orderId, string contentHash, string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>Records a delivery that was refused (bad signature, malformed) with its reason.</summary>
    Task RecordRejectedAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default);

    Task<WebhookDelivery?> GetAsync(string source, string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>The canonical order captured with an accepted delivery.</summary>
    Task<Order?> GetOrderAsync(string source, string deliveryId, CancellationToken cancellationToken = default);
}
