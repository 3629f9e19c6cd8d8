using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>Inbound deliveries (webhooks): dedupe by delivery id and keep every payload, accepted or rejected.</summary>
public interface IDeliveryStore
{
    /// <summary>Records an accepted delivery and its canonical order under a unique key. False when the id was seen before.</summary>
    Task<bool> TryRecordAcceptedAsync(WebhookDelivery delivery, Order order, CancellationToken cancellationToken = default);

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
