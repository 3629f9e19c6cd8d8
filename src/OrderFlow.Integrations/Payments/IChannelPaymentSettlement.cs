using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Payments;

/// <summary>Moves money the sales channel holds: captures an authorization per shipment and refunds, once per idempotency key.</summary>
public interface IChannelPaymentSettlement
{
    Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default);

    Task<RefundResult> RefundAsync(RefundPaymentRequest request, CancellationToken cancellationToken = default);
}
