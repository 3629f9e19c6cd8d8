using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>The payment provider (Stripe in production, a sandbox locally).</summary>
public interface IPaymentGateway
{
    Task<PaymentVerification> VerifyAsync(VerifyPaymentRequest request, CancellationToken cancellationToken = default);

    Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default);
}
