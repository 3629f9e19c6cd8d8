using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>The payment provider (Stripe in production, a sandbox locally).</summary>
public interface IPaymentGateway
{
    Task<PaymentVerification> VerifyAsync(VerifyPaymentRequest request, CancellationToken cancellationToken = default);

    Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default);

    /// <summary>Refunds captured money (or voids an uncaptured authorization); the same idempotency key refunds once.</summary>
    Task<RefundResult> RefundAsync(RefundPaymentRequest request, CancellationToken cancellationToken = default);
}
