using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Payments;

/// <summary>
/// One payment port, one authority per order: a reference naming a channel payment (<see cref="ChannelPaymentReference"/>)
/// is verified from the channel's payment state and captured or refunded through the channel; every other reference
/// (a Stripe PaymentIntent, a generic order's) goes to the card gateway as before.
/// </summary>
public sealed class ChannelPaymentRouter(IPaymentGateway card, ChannelPaymentVerifier channel, IChannelPaymentSettlement settlement) : IPaymentGateway
{
    public Task<PaymentVerification> VerifyAsync(VerifyPaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChannelPaymentReference.IsChannel(request.PaymentReference)
            ? channel.VerifyAsync(request, cancellationToken)
            : card.VerifyAsync(request, cancellationToken);
    }

    public Task<CaptureResult> CaptureAsync(CapturePaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChannelPaymentReference.IsChannel(request.PaymentReference)
            ? settlement.CaptureAsync(request, cancellationToken)
            : card.CaptureAsync(request, cancellationToken);
    }

    public Task<RefundResult> RefundAsync(RefundPaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChannelPaymentReference.IsChannel(request.PaymentReference)
            ? settlement.RefundAsync(request, cancellationToken)
            : card.RefundAsync(request, cancellationToken);
    }
}
