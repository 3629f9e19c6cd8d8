using Microsoft.Extensions.Options;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Shopify;
using OrderFlow.Integrations.WooCommerce;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Channels;

/// <summary>
/// The order store the activities use, recording in the write-back outbox what the storefront an order came from must
/// learn: a parcel that shipped (once per fulfillment), a hold and its release, the cancellation, the completion, and a
/// refund OrderFlow made outside the channel (through Stripe; once per refund key). Only
/// for orders from Shopify or WooCommerce while that channel is configured with WriteBack on; everything else passes
/// through. The outbox row is written after the store's own change, and a retried step records it again (once).
/// </summary>
public sealed class WriteBackOrderStore(IOrderStore inner, TableWriteBackOutbox outbox, IOptions<ChannelsOptions> options, TimeProvider clock) : IOrderStore
{
    public Task<bool> CreateAsync(Order order, DateTimeOffset at, CancellationToken cancellationToken = default) => inner.CreateAsync(order, at, cancellationToken);

    public Task<OrderRecord?> GetAsync(string orderId, CancellationToken cancellationToken = default) => inner.GetAsync(orderId, cancellationToken);

    public async Task TransitionAsync(string orderId, OrderStatus to, string note, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await inner.TransitionAsync(orderId, to, note, at, cancellationToken);
        if (ChannelOf(orderId) is not { } channel)
        {
            return;
        }

        // Leaving the hold in any direction releases it (the hold row only records a change).
        await outbox.RecordHoldAsync(orderId, channel, to == OrderStatus.OnHold, at, cancellationToken);
        if (to == OrderStatus.Cancelled)
        {
            await outbox.RecordAsync(orderId, channel, WriteBackOps.Cancel, null, at, cancellationToken);
        }
        else if (to == OrderStatus.Fulfilled)
        {
            await outbox.RecordAsync(orderId, channel, WriteBackOps.Complete, null, at, cancellationToken);
        }
    }

    public Task UpdateShippingAddressAsync(string orderId, Address address, string correctedBy, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        inner.UpdateShippingAddressAsync(orderId, address, correctedBy, at, cancellationToken);

    public Task UpdateChannelPaymentAsync(string orderId, ChannelPayment payment, string note, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        inner.UpdateChannelPaymentAsync(orderId, payment, note, at, cancellationToken);

    public Task AppendTimelineAsync(string orderId, TimelineEntry entry, CancellationToken cancellationToken = default) => inner.AppendTimelineAsync(orderId, entry, cancellationToken);

    public async Task RecordRefundAsync(string orderId, RefundPaymentRequest refund, RefundResult result, TimelineEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refund);
        ArgumentNullException.ThrowIfNull(result);
        await inner.RecordRefundAsync(orderId, refund, result, entry, cancellationToken);

        // A refund through the channel (Shopify refundCreate, WooCommerce api_refund) is already on the channel's order; a
        // released authorization moved no money. Only a refund made elsewhere (Stripe) is for the storefront to learn.
        if (result.Succeeded && !result.Voided && result.Amount.MinorUnits > 0
            && !ChannelPaymentReference.IsChannel(refund.PaymentReference) && ChannelOf(orderId) is { } channel)
        {
            await outbox.RecordRefundAsync(orderId, channel, refund.IdempotencyKey, result.Amount, clock.GetUtcNow(), cancellationToken);
        }
    }

    public async Task UpsertFulfillmentAsync(string orderId, FulfillmentRecord fulfillment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fulfillment);
        await inner.UpsertFulfillmentAsync(orderId, fulfillment, cancellationToken);

        // Shipped, or any carrier status after it (a digital fulfillment is recorded as delivered at once).
        if (CarrierStatuses.HasShipped(fulfillment.Status) && ChannelOf(orderId) is { } channel)
        {
            await outbox.RecordAsync(orderId, channel, WriteBackOps.Fulfillment, fulfillment.FulfillmentId, clock.GetUtcNow(), cancellationToken);
        }
    }

    public Task<IReadOnlyList<string>> ListOrdersAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default) =>
        inner.ListOrdersAsync(from, to, limit, cancellationToken);

    public Task<IReadOnlyList<OrderInStatus>> ListOrdersInStatusAsync(OrderStatus status, DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken = default) =>
        inner.ListOrdersInStatusAsync(status, updatedBefore, limit, cancellationToken);

    /// <summary>The channel whose storefront must learn about <paramref name="orderId"/>, or null (another source, or write-back off).</summary>
    private string? ChannelOf(string orderId)
    {
        var channels = options.Value;
        if (orderId.StartsWith(OrderSources.Shopify + "-", StringComparison.Ordinal))
        {
            return channels.Shopify.Enabled && channels.Shopify.WriteBack ? ShopifyInventoryChannel.ChannelName : null;
        }

        if (orderId.StartsWith(OrderSources.WooCommerce + "-", StringComparison.Ordinal))
        {
            return channels.WooCommerce.Enabled && channels.WooCommerce.WriteBack ? WooCommerceInventoryChannel.ChannelName : null;
        }

        return null;
    }
}
