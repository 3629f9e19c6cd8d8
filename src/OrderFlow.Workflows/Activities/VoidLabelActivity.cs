using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Voids (refunds) the label of a fulfillment that will not ship, through the carrier, and notes the answer on the timeline.</summary>
public sealed class VoidLabelActivity(ICarrierGateway carrier, IOrderStore orders, TimeProvider clock) : TaskActivity<LabelVoidRequest, LabelVoidResult>
{
    public override async Task<LabelVoidResult> RunAsync(TaskActivityContext context, LabelVoidRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = await carrier.VoidLabelAsync(input);
        var text = result.Voided
            ? $"{input.FulfillmentId}: label {input.TrackingNumber} voided (carrier refund {result.Status})."
            : $"{input.FulfillmentId}: the carrier refused to void label {input.TrackingNumber} ({result.Status}{(result.Detail is null ? string.Empty : ": " + result.Detail)}).";
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "label-void", text));
        return result;
    }
}
