using System.Collections.Concurrent;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Testing.Ports;

/// <summary>In-memory <see cref="IDeliveryStore"/>: the test captures an order as intake would, the workflow reads it back.</summary>
public sealed class FakeDeliveryStore : IDeliveryStore
{
    private readonly ConcurrentDictionary<(string Source, string DeliveryId), (WebhookDelivery Delivery, Order? Order)> deliveries = new();
    private readonly ConcurrentDictionary<string, OrderContentClaim> claims = new(StringComparer.Ordinal);

    // Each write takes it, so TryRecordNewOrderAsync's pair is atomic against the one-at-a-time claims and records.
    private readonly Lock gate = new();

    /// <summary>Captures <paramref name="order"/> as an accepted delivery, as the webhook handler does before starting the workflow.</summary>
    public void Capture(string deliveryId, Order order) =>
        this.deliveries[(order.Source, deliveryId)] = (
            new WebhookDelivery(order.Source, deliveryId, "orders/create", order.PlacedAt, DeliveryOutcomes.Accepted, null, order.OrderId, "{}"),
            order);

    /// <summary>Drops a finished order's delivery and its content claim (the bench's long runs).</summary>
    public void Forget(string source, string deliveryId)
    {
        if (this.deliveries.TryRemove((source, deliveryId), out var d) && d.Order is { } order)
        {
            this.claims.TryRemove(order.OrderId, out _);
        }
    }

    public Task<bool> TryRecordAcceptedAsync(WebhookDelivery delivery, Order order, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            return Task.FromResult(this.deliveries.TryAdd((delivery.Source, delivery.DeliveryId), (delivery, order)));
        }
    }

    public Task<bool> TryRecordNewOrderAsync(WebhookDelivery delivery, Order order, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            var key = (delivery.Source, delivery.DeliveryId);
            if (this.claims.ContainsKey(order.OrderId) || this.deliveries.ContainsKey(key))
            {
                return Task.FromResult(false);
            }

            this.claims[order.OrderId] = new OrderContentClaim(order.OrderId, delivery.ContentHash ?? OrderContent.Hash(order), delivery.DeliveryId);
            this.deliveries[key] = (delivery, order);
            return Task.FromResult(true);
        }
    }

    public Task WithdrawNewOrderAsync(WebhookDelivery delivery, Order order, CancellationToken cancellationToken = default)
    {
        var hash = delivery.ContentHash ?? OrderContent.Hash(order);
        lock (this.gate)
        {
            if (this.deliveries.TryGetValue((delivery.Source, delivery.DeliveryId), out var held) && held.Delivery.ContentHash == hash && held.Order?.OrderId == order.OrderId)
            {
                this.deliveries.TryRemove((delivery.Source, delivery.DeliveryId), out _);
            }
        }

        return this.ReleaseOrderClaimAsync(order.OrderId, hash, delivery.DeliveryId, cancellationToken);
    }

    public Task<OrderContentClaim> ClaimOrderAsync(string orderId, string contentHash, string deliveryId, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            return Task.FromResult(this.claims.GetOrAdd(orderId, new OrderContentClaim(orderId, contentHash, deliveryId)));
        }
    }

    public Task ReleaseOrderClaimAsync(string orderId, string contentHash, string deliveryId, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            this.claims.TryRemove(new KeyValuePair<string, OrderContentClaim>(orderId, new OrderContentClaim(orderId, contentHash, deliveryId)));
        }

        return Task.CompletedTask;
    }

    public Task RecordRejectedAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        lock (this.gate)
        {
            this.deliveries.TryAdd((delivery.Source, delivery.DeliveryId), (delivery, null));
        }

        return Task.CompletedTask;
    }

    public Task<WebhookDelivery?> GetAsync(string source, string deliveryId, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.deliveries.TryGetValue((source, deliveryId), out var d) ? d.Delivery : null);

    public Task<Order?> GetOrderAsync(string source, string deliveryId, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.deliveries.TryGetValue((source, deliveryId), out var d) ? d.Order : null);
}
