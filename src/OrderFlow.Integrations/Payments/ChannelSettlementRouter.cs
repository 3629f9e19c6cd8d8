using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Shopify;
using OrderFlow.Integrations.WooCommerce;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Payments;

/// <summary>
/// Sends a channel payment's capture or refund to its channel's settlement: WooCommerce references to
/// <see cref="WooCommercePaymentSettlement"/>, the rest (Shopify order GIDs) to <see cref="ShopifyPaymentSettlement"/>.
/// Each falls back to the channel's admin (<see cref="ChannelAdminSettlement"/>) while its channel is not configured.
/// </summary>
public sealed class ChannelSettlementRouter(ShopifyPaymentSettlement shopify, WooCommercePaymentSettlement wooCommerce) : IChannelPaymentSettlement
{
    public Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return For(request.PaymentReference).CaptureAsync(request, cancellationToken);
    }

    public Task<RefundResult> RefundAsync(RefundPaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return For(request.PaymentReference).RefundAsync(request, cancellationToken);
    }

    private IChannelPaymentSettlement For(string reference) =>
        ChannelPaymentReference.IsWooCommerce(reference) ? wooCommerce : shopify;
}
