using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Payments;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.WooCommerce;

/// <summary>
/// Refunds a payment WooCommerce holds (a gateway other than Stripe) through the REST API v3 while Channels:WooCommerce
/// is configured: POST orders/{id}/refunds with the amount, the reason and api_refund true, so WooCommerce has the
/// order's gateway pay it back (and does not restock: OrderFlow owns stock). WooCommerce takes no idempotency key, so
/// the reason carries "[orderflow:{key}]", the order's refunds are read first and a refund with the marker is the
/// earlier answer, and the POST is never resent after a 5xx or timeout (only after 429). WooCommerce's refusals (the
/// gateway cannot refund, an amount above what is left, any other 4xx) come back as
/// <c>woocommerce_refund_refused: ...</c> with WooCommerce's message, which opens the RefundFailed case. Core
/// WooCommerce has no REST route to capture an authorization, so captures stay with the channel's admin
/// (<see cref="ChannelAdminSettlement"/>), as do refunds while the channel is not configured.
/// </summary>
public sealed partial class WooCommercePaymentSettlement(
    WooCommerceRestClient rest,
    ChannelAdminSettlement manual,
    IOptions<ChannelsOptions> options,
    ILogger<WooCommercePaymentSettlement> logger) : IChannelPaymentSettlement
{
    /// <summary>The error WooCommerce answers (HTTP 500) when wc_create_refund fails: the gateway refused, nothing was created.</summary>
    public const string CannotCreateRefund = "woocommerce_rest_cannot_create_order_refund";

    public Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default) =>
        manual.CaptureAsync(request, cancellationToken);

    public async Task<RefundResult> RefundAsync(RefundPaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ChannelPaymentReference.IsWooCommerce(request.PaymentReference) || !options.Value.WooCommerce.Enabled)
        {
            return await manual.RefundAsync(request, cancellationToken);
        }

        var orderId = request.PaymentReference[ChannelPaymentReference.WooCommercePrefix.Length..];
        var marker = WriteBackOps.Marker(request.IdempotencyKey);
        if (await WooCommerceOrderRefunds.FindAsync(rest, orderId, marker, cancellationToken) is { } earlier)
        {
            LogRefundRepeated(request.OrderId, request.IdempotencyKey);
            return Result(request, earlier);
        }

        try
        {
            var created = await WooCommerceOrderRefunds.CreateAsync(rest, orderId, request.Amount, $"{request.Reason} {marker}", throughGateway: true, cancellationToken);
            var result = Result(request, created);
            if (result.Succeeded)
            {
                LogRefunded(request.OrderId, request.Amount.ToString());
            }

            return result;
        }
        catch (WooCommerceApiException ex) when (ex.Code == CannotCreateRefund || SalesChannelRejectedException.IsRefusal(ex))
        {
            // WooCommerce's word that nothing was refunded: its refund-creation error (a 500 it sends when the gateway
            // refuses) or a 4xx other than 408 / 429. A bare 5xx or a timeout may have refunded: that throws, and the
            // activity's retry reads the refunds first.
            var code = ex.Code ?? $"HTTP {(int?)ex.StatusCode}";
            LogRefused(request.OrderId, code);
            return new RefundResult(
                false,
                request.Amount,
                null,
                $"woocommerce_refund_refused: {ex.ErrorMessage ?? "no message"} ({code}). Refund {request.Amount} in the payment gateway or the WooCommerce admin.");
        }
    }

    /// <summary>A refund WooCommerce recorded; refunded_payment false means the gateway did not pay it back.</summary>
    private static RefundResult Result(RefundPaymentRequest request, JsonElement refund)
    {
        var id = refund.TryGetProperty("id", out var value) ? value.ToString() : "unknown";
        var reference = $"woocommerce:refund/{id}";
        return refund.TryGetProperty("refunded_payment", out var paid) && paid.ValueKind == JsonValueKind.False
            ? new RefundResult(false, request.Amount, reference, $"woocommerce_refund_not_paid: WooCommerce recorded refund {id} but its gateway did not pay it back; refund {request.Amount} in the payment gateway.")
            : new RefundResult(true, request.Amount, reference, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: refunded {Amount} through WooCommerce")]
    private partial void LogRefunded(string orderId, string amount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: refund {Key} was already made through WooCommerce")]
    private partial void LogRefundRepeated(string orderId, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: WooCommerce refused the refund ({Code})")]
    private partial void LogRefused(string orderId, string code);
}
