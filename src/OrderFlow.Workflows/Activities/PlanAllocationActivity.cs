using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Routing decision, run after every SKU's availability is read and before anything is reserved: the configured
/// locations and the order's ship-to address through <see cref="AllocationPolicy"/>. Records the candidates and why the
/// winner won on the order's timeline ("routing"); the reservation asks for exactly the returned allocations (a SKU whose
/// stock moved since the read allocates from what it has) and fulfillment ships what was reserved.
/// </summary>
public sealed class PlanAllocationActivity(IOrderStore orders, IOptions<RoutingOptions> routing, TimeProvider clock) : TaskActivity<AllocationRequest, AllocationDecision>
{
    public override async Task<AllocationDecision> RunAsync(TaskActivityContext context, AllocationRequest input)
    {
        var record = await orders.GetAsync(input.OrderId) ?? throw new InvalidOperationException($"Order {input.OrderId} is not recorded.");
        var options = routing.Value;
        var decision = AllocationPolicy.Allocate(
            input.Demand, input.AvailableBySkuAndLocation, options.ToLocations(), record.Order.ShippingAddress, options.AllowUnconfiguredLocations);
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "routing", decision.Describe()));
        return decision;
    }
}
