using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// From order revision <see cref="OrderWorkflowVersions.ReservationPlannedInOneStep"/>, everything a reservation attempt
/// decides before it reserves, in one activity instead of a policy read, one entity call per SKU and a routing activity:
/// the SKUs' out-of-stock policies and shards (as <see cref="GetStockPoliciesActivity"/>, on the order's first attempt), the
/// stock of each SKU that needs stock at the entity the order reads it from (its home shard when split), and the routing
/// decision on that stock with its timeline entry (as <see cref="PlanAllocationActivity"/>).
/// <para>
/// The stock is the entity's stored state, read as the stock routes read it, not an operation queued at the entity: it
/// may trail an operation still running there. That is safe because the read only steers where the units are asked
/// for: each reservation is decided atomically inside the SKU's entity, which allocates from what it has when the
/// stock moved since the read (as it already did for stock that moved between the old read and the reservation).
/// </para>
/// </summary>
public sealed class PlanReservationActivity(
    ICatalog catalog,
    IOptions<InventoryOptions> inventory,
    IEntityStateReader entities,
    IOrderStore orders,
    IOptions<RoutingOptions> routing,
    TimeProvider clock) : TaskActivity<PlanReservationRequest, ReservationPlan>
{
    public override async Task<ReservationPlan> RunAsync(TaskActivityContext context, PlanReservationRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var policies = input.Policies ?? await new GetStockPoliciesActivity(catalog, inventory).RunAsync(context, input.Skus);
        var bySku = policies.ToDictionary(p => p.Sku, StringComparer.Ordinal);
        var demand = input.Wanted
            .Where(w => w.Value > 0 && !(bySku.TryGetValue(w.Key, out var p) && p.Digital))
            .OrderBy(w => w.Key, StringComparer.Ordinal)
            .ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal);
        if (demand.Count == 0)
        {
            return new ReservationPlan(policies, [], null);
        }

        var stock = await Task.WhenAll(demand.Keys.Select(async sku =>
        {
            var shards = bySku.TryGetValue(sku, out var policy) ? StockShards.Bounded(policy.Shards) : 1;
            var state = await entities.ReadAsync<SkuInventory>(nameof(InventoryEntity), StockShards.HomeKey(sku, input.OrderId, shards));
            return StockView.Of(sku, state ?? new SkuInventory()) with { Reservations = [], Backorders = null };
        }));
        var decision = await new PlanAllocationActivity(orders, routing, clock).RunAsync(context, AllocationRequest.FromStock(input.OrderId, demand, stock));
        return new ReservationPlan(policies, stock, decision);
    }
}
