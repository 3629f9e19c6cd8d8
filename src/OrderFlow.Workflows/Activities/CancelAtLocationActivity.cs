using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Tells the location holding a handed-off fulfillment that it is cancelled (queue message, 3PL call or vendor email,
/// by the location's kind) and notes the answer on the order's timeline.
/// </summary>
public sealed class CancelAtLocationActivity(IFulfillmentCanceller canceller, IOrderStore orders, TimeProvider clock)
    : TaskActivity<FulfillmentCancellation, LocationCancelAnswer>
{
    public override async Task<LocationCancelAnswer> RunAsync(TaskActivityContext context, FulfillmentCancellation input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var answer = await canceller.CancelAsync(input);
        var text = answer.Outcome switch
        {
            LocationCancelAnswer.Cancelled => $"{input.FulfillmentId}: {input.Location} was told to cancel it and confirmed nothing ships.",
            LocationCancelAnswer.AlreadyShipped => $"{input.FulfillmentId}: {input.Location} was told to cancel it but it had already shipped"
                + (answer.TrackingNumber is { Length: > 0 } tracking ? $" ({tracking})." : "."),
            _ => $"{input.FulfillmentId}: {input.Location} was told to cancel it; its answer comes through the fulfillment callback.",
        };
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "cancel-at-location", text));
        return answer;
    }
}
