using OrderFlow.Integrations.Payments;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Tests.Fakes;

/// <summary>The channel's capture and refund, recorded by the fake payment gateway (idempotent per key like it).</summary>
public sealed class FakeChannelSettlement(FakePaymentGateway payments) : IChannelPaymentSettlement
{
    public Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default) =>
        payments.CaptureAsync(request, cancellationToken);

    public Task<RefundResult> RefundAsync(RefundPaymentRequest request, CancellationToken cancellationToken = default) =>
        payments.RefundAsync(request, cancellationToken);
}
