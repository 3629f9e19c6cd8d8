using System.Collections.Concurrent;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>In-memory <see cref="IDeliveryStore"/>: the test captures an order as intake would, the workflow reads it back.</summary>
public sealed class FakeDeliveryStore : IDeliveryStore
{
    private readonly ConcurrentDictionary<(string Source, string DeliveryId), (WebhookDelivery Delivery, Order? Order)> deliveries = new();
    private readonly ConcurrentDictionary<string, OrderContentClaim> claims = new(StringComparer.Ordinal);

    /// <summary>Captures <paramref name="order"/> as an accepted delivery, as the webhook handler does before starting the workflow.</summary>
    public void Capture(string deliveryId, Order order) =>
        this.deliveries[(order.Source, deliveryId)] = (
            new WebhookDelivery(order.Source, deliveryId, "orders/create", order.PlacedAt, DeliveryOutcomes.Accepted, null, order.OrderId, "{}"),
            order);

    public Task<bool> TryRecordAcceptedAsync(WebhookDelivery delivery, Order order, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.deliveries.TryAdd((delivery.Source, delivery.DeliveryId), (delivery, order)));

    public Task<OrderContentClaim> ClaimOrderAsync(string orderId, string contentHash, string deliveryId, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.claims.GetOrAdd(orderId, new OrderContentClaim(orderId, contentHash, deliveryId)));

    public Task ReleaseOrderClaimAsync(string orderId, string contentHash, string deliveryId, CancellationToken cancellationToken = default)
    {
        this.claims.TryRemove(new KeyValuePair<string, OrderContentClaim>(orderId, new OrderContentClaim(orderId, contentHash, deliveryId)));
        return Task.CompletedTask;
    }

    public Task RecordRejectedAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        this.deliveries.TryAdd((delivery.Source, delivery.DeliveryId), (delivery, null));
        return Task.CompletedTask;
    }

    public Task<WebhookDelivery?> GetAsync(string source, string deliveryId, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.deliveries.TryGetValue((source, deliveryId), out var d) ? d.Delivery : null);

    public Task<Order?> GetOrderAsync(string source, string deliveryId, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.deliveries.TryGetValue((source, deliveryId), out var d) ? d.Order : null);
}
