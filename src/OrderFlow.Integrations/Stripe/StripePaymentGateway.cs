using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Common;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using global::Stripe;

namespace OrderFlow.Integrations.Stripe;

/// <summary>
/// Stripe PaymentIntents behind the payment port. Verification reads the intent (reference = pi id) with its latest charge
/// expanded for the Radar risk level and whether the authorization supports multicapture; capture is idempotent by the request's key. Declines and other permanent refusals
/// come back as results; rate limits, 5xx and network faults are thrown so the durable retry policy tries again.
/// </summary>
public sealed partial class StripePaymentGateway(PaymentIntentService paymentIntents, RefundService refunds, ILogger<StripePaymentGateway> logger) : IPaymentGateway
{
    public const string HttpClientName = "Stripe";

    /// <summary>Intent metadata key holding the OrderFlow order id the payment is for (set it when creating the intent).</summary>
    public const string OrderFlowOrderIdKey = "orderflow_order_id";

    /// <summary>Intent metadata key checkout plugins use for the channel's order id; OrderFlow's refunds write it too.</summary>
    public const string OrderIdKey = "order_id";

    public async Task<PaymentVerification> VerifyAsync(VerifyPaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.PaymentReference))
        {
            return new PaymentVerification(PaymentState.Failed, null, null, "missing_payment_reference");
        }

        PaymentIntent intent;
        try
        {
            intent = await paymentIntents.GetAsync(
                request.PaymentReference,
                new PaymentIntentGetOptions { Expand = ["latest_charge"] },
                cancellationToken: cancellationToken);
        }
        catch (StripeException ex) when (!IsTransient(ex))
        {
            LogRefused(request.OrderId, "verify", ex.StripeError?.Type, ex.StripeError?.Code);
            return new PaymentVerification(PaymentState.Failed, null, null, FailureCode(ex));
        }

        var result = OrderMismatch(intent.Metadata, request.OrderId) is { } mismatch
            ? new PaymentVerification(PaymentState.Failed, null, intent.LatestCharge?.Outcome?.RiskLevel, mismatch)
            : Map(intent, request.Expected);
        LogVerified(request.OrderId, result.State, result.RiskLevel, result.Multicapture, result.FailureReason);
        return result;
    }

    public async Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.PaymentReference);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);

        var options = new PaymentIntentCaptureOptions { AmountToCapture = request.Amount.MinorUnits, FinalCapture = request.FinalCapture };
        var requestOptions = new RequestOptions { IdempotencyKey = StripeIdempotencyKey.For(request.IdempotencyKey) };
        try
        {
            // A retried call with the same key gets Stripe's first answer replayed (for 24 hours), so nothing is captured twice.
            var intent = await paymentIntents.CaptureAsync(request.PaymentReference, options, requestOptions, cancellationToken);
            // amount_received is cumulative over captures; this call captured the requested amount.
            var ok = intent.Status is "succeeded" or "requires_capture";
            LogCaptured(request.OrderId, request.Amount.ToString(), intent.Id);
            return new CaptureResult(ok, request.Amount, intent.LatestChargeId ?? intent.Id, ok ? null : $"status {intent.Status}");
        }
        catch (StripeException ex) when (!IsTransient(ex))
        {
            LogRefused(request.OrderId, "capture", ex.StripeError?.Type, ex.StripeError?.Code);
            return new CaptureResult(false, request.Amount, null, FailureCode(ex));
        }
    }

    /// <summary>
    /// Money back: an intent still waiting for capture is cancelled (the authorization is released, nothing was taken);
    /// otherwise a Refund of the amount is created against the intent. Both carry the step's idempotency key, so a
    /// retried call gets Stripe's first answer replayed instead of a second refund.
    /// </summary>
    public async Task<RefundResult> RefundAsync(RefundPaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.PaymentReference);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        var requestOptions = new RequestOptions { IdempotencyKey = StripeIdempotencyKey.For(request.IdempotencyKey) };
        try
        {
            var intent = await paymentIntents.GetAsync(request.PaymentReference, cancellationToken: cancellationToken);

            // A multicapture authorization stays requires_capture between its partial captures (and one canceled after
            // them keeps what was captured): money already captured is refunded, never answered as a void.
            var captured = intent.AmountReceived > 0;

            // Already voided (a retried step whose cancel landed but whose answer was lost, or an expired authorization):
            // nothing was captured, so nothing is owed; a Refund under the same key would be refused as another request.
            if (intent.Status == "canceled" && !captured)
            {
                LogRefunded(request.OrderId, "void", request.Amount.ToString(), intent.Id);
                return new RefundResult(true, request.Amount, intent.Id, null, Voided: true);
            }

            if (intent.Status == "requires_capture" && !captured)
            {
                var cancelled = await paymentIntents.CancelAsync(
                    intent.Id, new PaymentIntentCancelOptions { CancellationReason = "requested_by_customer" }, requestOptions, cancellationToken);
                LogRefunded(request.OrderId, "void", request.Amount.ToString(), cancelled.Id);
                return new RefundResult(cancelled.Status == "canceled", request.Amount, cancelled.Id, cancelled.Status == "canceled" ? null : $"status {cancelled.Status}", Voided: true);
            }

            var refund = await refunds.CreateAsync(
                new RefundCreateOptions
                {
                    PaymentIntent = intent.Id,
                    Amount = request.Amount.MinorUnits,
                    Reason = "requested_by_customer",
                    Metadata = new Dictionary<string, string> { [OrderIdKey] = request.OrderId, ["reason"] = request.Reason },
                },
                requestOptions,
                cancellationToken);
            var ok = refund.Status is "succeeded" or "pending";
            LogRefunded(request.OrderId, "refund", request.Amount.ToString(), refund.Id);
            return new RefundResult(ok, new Money(refund.Amount, refund.Currency?.ToUpperInvariant() ?? request.Amount.Currency), refund.Id, ok ? null : refund.FailureReason ?? $"status {refund.Status}");
        }
        catch (StripeException ex) when (!IsTransient(ex))
        {
            LogRefused(request.OrderId, "refund", ex.StripeError?.Type, ex.StripeError?.Code);
            return new RefundResult(false, request.Amount, null, FailureCode(ex));
        }
    }

    /// <summary>
    /// The refusal when the intent's metadata names another order, else null. <c>orderflow_order_id</c> must be the
    /// OrderFlow order id; <c>order_id</c> (what checkout plugins such as WooCommerce's Stripe gateway write) may be the
    /// OrderFlow id or the channel's own order id, which OrderFlow's id ends with (<c>{source}-{channel id}</c>).
    /// An intent without either key is not checked.
    /// </summary>
    public static string? OrderMismatch(IDictionary<string, string>? metadata, string orderId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        if (metadata is null)
        {
            return null;
        }

        if (metadata.TryGetValue(OrderFlowOrderIdKey, out var own) && !string.IsNullOrWhiteSpace(own)
            && !string.Equals(own.Trim(), orderId, StringComparison.OrdinalIgnoreCase))
        {
            return $"payment metadata {OrderFlowOrderIdKey} names order {own.Trim()}, not {orderId}";
        }

        if (metadata.TryGetValue(OrderIdKey, out var channel) && !string.IsNullOrWhiteSpace(channel)
            && !string.Equals(channel.Trim(), orderId, StringComparison.OrdinalIgnoreCase)
            && !orderId.EndsWith("-" + channel.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return $"payment metadata {OrderIdKey} names order {channel.Trim()}, not {orderId}";
        }

        return null;
    }

    /// <summary>Maps an intent to the workflow's view, checking amount and currency against what the order expects.</summary>
    public static PaymentVerification Map(PaymentIntent intent, Money expected)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var risk = intent.LatestCharge?.Outcome?.RiskLevel;
        var state = intent.Status switch
        {
            "succeeded" => PaymentState.Succeeded,
            "requires_capture" => PaymentState.RequiresCapture,
            _ => PaymentState.Failed,
        };

        // Stripe sends lower-case ISO codes and minor units, like Money (zero-decimal currencies such as JPY agree).
        var minor = state == PaymentState.Succeeded && intent.AmountReceived > 0 ? intent.AmountReceived : intent.Amount;
        var currency = ToIso(intent.Currency);
        Money? amount = Currencies.IsValidCode(currency) ? new Money(minor, currency) : null;

        if (state == PaymentState.Failed)
        {
            var reason = intent.LastPaymentError?.Code is { Length: > 0 } code ? $"status {intent.Status}: {code}" : $"status {intent.Status}";
            return new PaymentVerification(PaymentState.Failed, amount, risk, reason);
        }

        if (amount is null || amount.Value != expected)
        {
            var got = amount?.ToString() ?? $"{minor.ToString(CultureInfo.InvariantCulture)} {intent.Currency}";
            return new PaymentVerification(PaymentState.Failed, amount, risk, $"amount mismatch: expected {expected}, got {got}");
        }

        return new PaymentVerification(state, amount, risk, null, Multicapture(intent));
    }

    /// <summary>
    /// Whether the authorization can be captured more than once: only when the charge says multicapture is
    /// <c>available</c> (the intent asked for it with <c>payment_method_options.card.request_multicapture = if_available</c>
    /// and the card supports it). Anything else (unavailable, not requested, not a card) means the first capture
    /// finalises the intent and releases the rest. Null for a payment already captured (nothing to capture later).
    /// </summary>
    public static bool? Multicapture(PaymentIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        return intent.Status == "requires_capture"
            ? intent.LatestCharge?.PaymentMethodDetails?.Card?.Multicapture?.Status == "available"
            : null;
    }

    /// <summary>Rate limits, lock timeouts, server errors and network faults (no HTTP status) are worth another try.</summary>
    public static bool IsTransient(StripeException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var status = (int)ex.HttpStatusCode;
        return status == 0
            || ex.HttpStatusCode == HttpStatusCode.TooManyRequests
            || status >= 500
            || ex.StripeError?.Type is "api_connection_error" or "rate_limit_error" or "api_error"
            || ex.StripeError?.Code is "lock_timeout" or "rate_limit";
    }

    private static string FailureCode(StripeException ex)
    {
        var error = ex.StripeError;
        var code = error?.Code is { Length: > 0 } c ? c : error?.Type is { Length: > 0 } t ? t : $"http_{(int)ex.HttpStatusCode}";
        return error?.DeclineCode is { Length: > 0 } decline && decline != code ? $"{code}: {decline}" : code;
    }

    private static string ToIso(string? currency) => (currency ?? string.Empty).ToUpperInvariant();

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: Stripe {Kind} of {Amount} as {RefundReference}")]
    private partial void LogRefunded(string orderId, string kind, string amount, string refundReference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: Stripe payment verified as {State} (risk {RiskLevel}, multicapture {Multicapture}) {FailureReason}")]
    private partial void LogVerified(string orderId, PaymentState state, string? riskLevel, bool? multicapture, string? failureReason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: Stripe captured {Amount} on {PaymentIntentId}")]
    private partial void LogCaptured(string orderId, string amount, string paymentIntentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: Stripe refused {Operation} ({ErrorType}/{ErrorCode})")]
    private partial void LogRefused(string orderId, string operation, string? errorType, string? errorCode);
}
