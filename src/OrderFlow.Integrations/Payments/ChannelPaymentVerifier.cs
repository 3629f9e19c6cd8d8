using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Payments;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Payments;

/// <summary>
/// Verifies an order whose payment the sales channel holds, from the channel payment state the order carries
/// (<see cref="ChannelPaymentRules"/>), and notes a hold or a policy ship on the order's timeline.
/// </summary>
public sealed partial class ChannelPaymentVerifier(IOrderStore orders, IOptions<PaymentsOptions> options, TimeProvider clock, ILogger<ChannelPaymentVerifier> logger)
{
    public async Task<PaymentVerification> VerifyAsync(VerifyPaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = await orders.GetAsync(request.OrderId, cancellationToken)
            ?? throw new InvalidOperationException($"Order {request.OrderId} is not recorded; its channel payment cannot be verified.");
        var facts = record.Order.Payment;
        var (verification, note) = ChannelPaymentRules.Verify(facts, request.Expected, options.Value.ShipPending);
        if (note is not null)
        {
            await orders.AppendTimelineAsync(request.OrderId, new TimelineEntry(clock.GetUtcNow(), "payment", note), cancellationToken);
        }

        LogVerified(request.OrderId, facts?.Channel, facts?.Status, verification.State);
        return verification;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: channel {Channel} payment {ChannelStatus} verified as {State}")]
    private partial void LogVerified(string orderId, string? channel, string? channelStatus, PaymentState state);
}
