using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 10: captures the money for one confirmed shipment (auth-then-capture stores). A request with a note (a capture
/// that is not one parcel's value) has the note and the outcome written to the order's timeline.
/// </summary>
public sealed class CapturePaymentActivity(IPaymentGateway gateway, IOrderStore orders, TimeProvider clock) : TaskActivity<CapturePaymentRequest, CaptureResult>
{
    public override async Task<CaptureResult> RunAsync(TaskActivityContext context, CapturePaymentRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = await gateway.CaptureAsync(input);
        if (input.Note is { Length: > 0 } note)
        {
            var outcome = result.Captured ? $"Captured {result.Amount}, provider reference {result.ProviderReference}." : $"The capture was refused: {result.FailureReason}.";
            await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "payment", $"{note} {outcome}"));
        }

        return result;
    }
}
