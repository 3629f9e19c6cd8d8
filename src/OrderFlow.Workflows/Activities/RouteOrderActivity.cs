using Microsoft.DurableTask;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Step 8: turns the reserved allocation into one fulfillment per location and records them on the order.</summary>
public sealed class RouteOrderActivity(IOrderStore orders, TimeProvider clock) : TaskActivity<RouteOrderRequest, IReadOnlyList<PlannedFulfillment>>
{
    public override async Task<IReadOnlyList<PlannedFulfillment>> RunAsync(TaskActivityContext context, RouteOrderRequest input)
    {
        var plans = RoutingPolicy.Plan(input.OrderId, input.Reservations, input.FirstNumber);
        foreach (var plan in plans)
        {
            await orders.UpsertFulfillmentAsync(input.OrderId, new FulfillmentRecord(plan.FulfillmentId, plan.Location, plan.Lines, "planned", null, null, null, null));
        }

        var summary = string.Join("; ", plans.Select(p => $"{p.FulfillmentId} from {p.Location}: " + string.Join(", ", p.Lines.Select(l => $"{l.Quantity} x {l.Sku}"))));
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "routing", $"Routed to {plans.Count} fulfillment(s): {summary}"));
        return plans;
    }
}
