using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 8: turns the reserved allocation into one fulfillment per location and records them on the order; a fulfillment
/// from a configured location carries that location's method and kind. From
/// <see cref="OrderWorkflowVersions.StatusWithStep"/> it writes the status changes its request carries (through
/// <see cref="OrderStatusWriter"/>): <see cref="RouteOrderRequest.Before"/> first, <see cref="RouteOrderRequest.Then"/>
/// once the fulfillments and the timeline entry are recorded (an activity delivered again after it ran through finds
/// the order at <c>Then</c> and does not write <c>Before</c> again).
/// </summary>
public sealed class RouteOrderActivity(IOrderStore orders, IOptions<RoutingOptions> routing, TimeProvider clock) : TaskActivity<RouteOrderRequest, IReadOnlyList<PlannedFulfillment>>
{
    public override async Task<IReadOnlyList<PlannedFulfillment>> RunAsync(TaskActivityContext context, RouteOrderRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await OrderStatusWriter.ApplyCarriedAsync(orders, clock, input.Before, input.Then?.Status);
        var plans = RoutingPolicy.Plan(input.OrderId, input.Reservations, input.FirstNumber)
            .Select(p => routing.Value.Find(p.Location) is { } location ? p with { Method = location.Method, Kind = location.Kind } : p)
            .ToList();
        foreach (var plan in plans)
        {
            await orders.UpsertFulfillmentAsync(input.OrderId, new FulfillmentRecord(plan.FulfillmentId, plan.Location, plan.Lines, "planned", null, null, null, null));
        }

        var summary = string.Join("; ", plans.Select(p =>
            $"{p.FulfillmentId} from {p.Location}{(p.Method is { } method ? $" ({method})" : string.Empty)}: "
            + string.Join(", ", p.Lines.Select(l => $"{l.Quantity} x {l.Sku}"))));
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "routing", $"Routed to {plans.Count} fulfillment(s): {summary}"));
        await OrderStatusWriter.ApplyCarriedAsync(orders, clock, input.Then);
        return plans;
    }
}
