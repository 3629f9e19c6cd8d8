using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Payments;

/// <summary>
/// Captures and refunds for payments a sales channel holds that OrderFlow cannot move itself: captures of WooCommerce
/// payments (core WooCommerce has no capture route), WooCommerce refunds while Channels:WooCommerce is not configured
/// (with it, <see cref="WooCommerce.WooCommercePaymentSettlement"/> refunds), and Shopify payments while
/// Channels:Shopify has no credentials (with them, <see cref="Shopify.ShopifyPaymentSettlement"/> moves Shopify's). The capture or refund is refused with a reason that tells the operator to do it in the channel's
/// admin, which opens the workflow's PaymentCaptureFailed / RefundFailed case (the order itself goes on).
/// </summary>
public sealed partial class ChannelAdminSettlement(ILogger<ChannelAdminSettlement> logger) : IChannelPaymentSettlement
{
    public Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reason = $"channel_capture_manual: the sales channel holds this authorization ({request.PaymentReference}); capture {request.Amount} in its admin (Shopify: Orders > Capture payment). OrderFlow does not capture this channel's payments.";
        LogRefused(request.OrderId, "capture");
        return Task.FromResult(new CaptureResult(false, request.Amount, null, reason));
    }

    public Task<RefundResult> RefundAsync(RefundPaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reason = $"channel_refund_manual: the sales channel holds this payment ({request.PaymentReference}); refund {request.Amount} in its admin. OrderFlow does not refund this channel's payments.";
        LogRefused(request.OrderId, "refund");
        return Task.FromResult(new RefundResult(false, request.Amount, null, reason));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: channel payment {Operation} left to the channel's admin")]
    private partial void LogRefused(string orderId, string operation);
}
