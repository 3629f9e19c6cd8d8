using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Payments;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Payments;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Sandbox;

/// <summary>
/// SANDBOX payment gateway for local runs without a payment account. The payment reference decides the outcome:
/// "pi_fail..." is declined (card_declined), "pi_auth..." is authorized and needs capture (multicapture available, so it
/// is captured per parcel), "pi_nomulti..." is authorized without multicapture (like Stripe, the first capture finalises
/// it: a later capture, or one sent with final_capture false, is refused), "pi_risk..." succeeds with risk "highest",
/// anything else succeeds for the expected amount with risk "normal" (captured in full, as an automatic
/// capture would be). What it collected is written to the <see cref="SandboxPaymentLedger"/> (captures once per
/// idempotency key), so reconciliation can read it back like a provider's records. A reference naming a channel payment
/// (a Shopify order GID, a WooCommerce order) mirrors the channel's rules from the payment state the order carries
/// (<see cref="ChannelPaymentRules"/>): paid is captured, authorized needs capture, pending follows Payments:PendingPolicy.
/// </summary>
public sealed partial class SandboxPaymentGateway(SandboxPaymentLedger book, ILogger<SandboxPaymentGateway> logger, ChannelPaymentVerifier? channel = null)
    : IPaymentGateway
{
    public const string DeclinedPrefix = "pi_fail";
    public const string AuthorizeOnlyPrefix = "pi_auth";
    public const string HighRiskPrefix = "pi_risk";
    public const string NoMulticapturePrefix = "pi_nomulti";

    /// <summary>Stripe's error code for a capture of an intent that is no longer <c>requires_capture</c>.</summary>
    public const string UnexpectedState = "payment_intent_unexpected_state";

    public async Task<PaymentVerification> VerifyAsync(VerifyPaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reference = request.PaymentReference;
        PaymentVerification result;
        if (channel is not null && ChannelPaymentReference.IsChannel(reference))
        {
            result = await channel.VerifyAsync(request, cancellationToken);
        }
        else if (string.IsNullOrWhiteSpace(reference))
        {
            result = new PaymentVerification(PaymentState.Failed, null, null, "missing_payment_reference");
        }
        else
        {
            var risk = reference.StartsWith(HighRiskPrefix, StringComparison.Ordinal) ? "highest" : "normal";
            result = reference.StartsWith(DeclinedPrefix, StringComparison.Ordinal)
                ? new PaymentVerification(PaymentState.Failed, null, risk, "card_declined")
                : reference.StartsWith(AuthorizeOnlyPrefix, StringComparison.Ordinal)
                    ? new PaymentVerification(PaymentState.RequiresCapture, request.Expected, risk, null, Multicapture: true)
                    : reference.StartsWith(NoMulticapturePrefix, StringComparison.Ordinal)
                        ? new PaymentVerification(PaymentState.RequiresCapture, request.Expected, risk, null, Multicapture: false)
                        : new PaymentVerification(PaymentState.Succeeded, request.Expected, risk, null);
        }

        if (result.State == PaymentState.Succeeded && result.Amount is { } charged && reference is not null)
        {
            await book.RecordChargeAsync(reference, charged, cancellationToken);
        }

        LogVerified(request.OrderId, result.State, result.RiskLevel);
        return result;
    }

    public async Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        if (request.PaymentReference.StartsWith(NoMulticapturePrefix, StringComparison.Ordinal)
            && (!request.FinalCapture || await book.HasOtherCaptureAsync(request.PaymentReference, request.IdempotencyKey, cancellationToken)))
        {
            // No multicapture: final_capture=false is not allowed, and the first capture finalised the intent.
            var refusal = request.FinalCapture ? $"{UnexpectedState}: already captured" : $"{UnexpectedState}: final_capture false needs multicapture";
            LogCaptureRefused(request.OrderId, refusal);
            return new CaptureResult(false, request.Amount, null, refusal);
        }

        var (amount, providerReference) = await book.RecordCaptureAsync(request.PaymentReference, request.IdempotencyKey, request.Amount, cancellationToken);
        LogCaptured(request.OrderId, amount.ToString(), providerReference);
        return new CaptureResult(true, amount, providerReference, null);
    }

    /// <summary>
    /// Gives money back like Stripe does: a payment nothing was collected on (an authorization never captured) is voided,
    /// so the book shows no refund; otherwise a refund is recorded once per idempotency key.
    /// </summary>
    public async Task<RefundResult> RefundAsync(RefundPaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        var (amount, providerReference, voided) = await book.RecordRefundOrVoidAsync(request.PaymentReference, request.IdempotencyKey, request.Amount, cancellationToken);
        LogRefunded(request.OrderId, voided ? "void" : "refund", amount.ToString(), providerReference);
        return new RefundResult(true, amount, providerReference, null, Voided: voided);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sandbox {Kind} of {Amount} as {RefundReference}")]
    private partial void LogRefunded(string orderId, string kind, string amount, string? refundReference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sandbox payment verified as {State} (risk {RiskLevel})")]
    private partial void LogVerified(string orderId, PaymentState state, string? riskLevel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sandbox capture refused ({Reason})")]
    private partial void LogCaptureRefused(string orderId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sandbox capture of {Amount} as {CaptureReference}")]
    private partial void LogCaptured(string orderId, string amount, string? captureReference);
}
