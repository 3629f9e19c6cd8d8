using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Gives money back through the payment provider (refund, or void of an uncaptured authorization) and records it on the
/// order (the timeline, and the storefront's write-back where the order store keeps one).
/// </summary>
public sealed class RefundPaymentActivity(IPaymentGateway gateway, IOrderStore orders, TimeProvider clock) : TaskActivity<RefundPaymentRequest, RefundResult>
{
    public override async Task<RefundResult> RunAsync(TaskActivityContext context, RefundPaymentRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = await gateway.RefundAsync(input);
        var what = result.Voided ? "Authorization released (nothing was captured)" : $"Refund of {result.Amount}";
        var entry = new TimelineEntry(
            clock.GetUtcNow(), "payment", result.Succeeded ? $"{what} ({input.Reason}), provider reference {result.ProviderReference}." : $"Refund of {input.Amount} refused: {result.FailureReason}.");
        await (result.Succeeded ? orders.RecordRefundAsync(input.OrderId, input, result, entry) : orders.AppendTimelineAsync(input.OrderId, entry));
        return result;
    }
}
