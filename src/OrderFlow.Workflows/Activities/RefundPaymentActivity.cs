using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Gives money back through the payment provider (refund, or void of an uncaptured authorization) and notes it on the timeline.</summary>
public sealed class RefundPaymentActivity(IPaymentGateway gateway, IOrderStore orders, TimeProvider clock) : TaskActivity<RefundPaymentRequest, RefundResult>
{
    public override async Task<RefundResult> RunAsync(TaskActivityContext context, RefundPaymentRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = await gateway.RefundAsync(input);
        var what = result.Voided ? "Authorization released (nothing was captured)" : $"Refund of {result.Amount}";
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(
            clock.GetUtcNow(), "payment", result.Succeeded ? $"{what} ({input.Reason}), provider reference {result.ProviderReference}." : $"Refund of {input.Amount} refused: {result.FailureReason}."));
        return result;
    }
}
