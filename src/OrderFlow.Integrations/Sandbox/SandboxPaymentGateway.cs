using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Sandbox;

/// <summary>
/// SANDBOX payment gateway for local runs without a payment account. The payment reference decides the outcome:
/// "pi_fail..." is declined (card_declined), "pi_auth..." is authorized and needs capture, "pi_risk..." succeeds with
/// risk "highest", anything else succeeds for the expected amount with risk "normal". Captures are remembered in
/// memory per idempotency key (lost on restart: a sandbox, not a ledger).
/// </summary>
public sealed partial class SandboxPaymentGateway(ILogger<SandboxPaymentGateway> logger) : IPaymentGateway
{
    public const string DeclinedPrefix = "pi_fail";
    public const string AuthorizeOnlyPrefix = "pi_auth";
    public const string HighRiskPrefix = "pi_risk";

    private readonly ConcurrentDictionary<string, CaptureResult> captures = new(StringComparer.Ordinal);

    public Task<PaymentVerification> VerifyAsync(VerifyPaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reference = request.PaymentReference;
        PaymentVerification result;
        if (string.IsNullOrWhiteSpace(reference))
        {
            result = new PaymentVerification(PaymentState.Failed, null, null, "missing_payment_reference");
        }
        else
        {
            var risk = reference.StartsWith(HighRiskPrefix, StringComparison.Ordinal) ? "highest" : "normal";
            result = reference.StartsWith(DeclinedPrefix, StringComparison.Ordinal)
                ? new PaymentVerification(PaymentState.Failed, null, risk, "card_declined")
                : reference.StartsWith(AuthorizeOnlyPrefix, StringComparison.Ordinal)
                    ? new PaymentVerification(PaymentState.RequiresCapture, request.Expected, risk, null)
                    : new PaymentVerification(PaymentState.Succeeded, request.Expected, risk, null);
        }

        LogVerified(request.OrderId, result.State, result.RiskLevel);
        return Task.FromResult(result);
    }

    public Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        var result = captures.GetOrAdd(
            request.IdempotencyKey,
            key => new CaptureResult(true, request.Amount, $"sbx_ch_{SandboxHash.Hex(key, 16)}", null));
        LogCaptured(request.OrderId, result.Amount.ToString(), result.ProviderReference);
        return Task.FromResult(result);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sandbox payment verified as {State} (risk {RiskLevel})")]
    private partial void LogVerified(string orderId, PaymentState state, string? riskLevel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sandbox capture of {Amount} as {CaptureReference}")]
    private partial void LogCaptured(string orderId, string amount, string? captureReference);
}
