using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Records a fulfillment's new state on the order and its timeline.</summary>
public sealed class RecordFulfillmentActivity(IOrderStore orders, TimeProvider clock) : TaskActivity<FulfillmentUpdate, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, FulfillmentUpdate input)
    {
        await orders.UpsertFulfillmentAsync(input.OrderId, new FulfillmentRecord(
            input.FulfillmentId, input.Location, input.Lines, input.Status,
            input.Label?.Carrier, input.Label?.TrackingNumber, input.Label?.TrackingUrl, input.Label?.LabelUrl, input.HoldReason));
        var why = input.HoldReason is null ? string.Empty : $" ({input.HoldReason})";
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "fulfillment", $"{input.FulfillmentId} is {input.Status}{why}."));
        return true;
    }
}
