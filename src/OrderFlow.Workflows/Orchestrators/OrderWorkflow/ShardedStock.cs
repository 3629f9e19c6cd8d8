using Microsoft.DurableTask;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// Reservation of a SKU whose stock is split across shard entities (<see cref="StockShards"/>, revision
/// <see cref="OrderWorkflowVersions.StockSplitAcrossShards"/>): the order reads and reserves at the shard its id picks
/// (so orders of one hot SKU spread over several entities instead of queueing at one), falls back to the other shards in
/// turn, and when no shard holds the whole quantity alone it gathers every shard's available units into the SKU's own
/// entity and reserves there under the SKU's out-of-stock policy: a shortage then is a true stockout. Unsplit SKUs and
/// older orders go to the SKU's own entity as before.
/// </summary>
internal sealed class ShardedStock(TaskOrchestrationContext context, OrderState state, OrderSteps steps)
{
    /// <summary>The entity the order reads <paramref name="sku"/>'s stock from before routing: its home shard.</summary>
    public string ReadKey(string sku) => StockShards.HomeKey(sku, state.OrderId, this.ShardsOf(sku));

    /// <summary>
    /// Reserves <paramref name="request"/> of <paramref name="sku"/> (see the class summary); the outcome names the shard
    /// that holds it. A restarted run asks first at the entity the restart found its units held at
    /// (<see cref="OrderState.RestartHeldAt"/>), which answers with the hold the order has, instead of taking a second
    /// one at its home shard.
    /// </summary>
    public async Task<ReservationOutcome> ReserveAsync(string sku, ReserveStockRequest request)
    {
        var calls = steps.Calls;
        var shards = this.ShardsOf(sku);
        var held = state.Input.Runs(OrderWorkflowVersions.StockSplitAcrossShards) ? state.RestartHeldAt(sku) : null;
        if (shards <= 1 && (held is null || held == sku))
        {
            return await calls.InventoryAsync<ReservationOutcome>(sku, nameof(InventoryEntity.Reserve), request);
        }

        // Shards never queue an order: only the SKU's own entity keeps a backorder queue (and only after the gather).
        var strict = request with { AllowBackorder = false };
        var keys = shards > 1 ? StockShards.TryOrder(state.OrderId, shards).Select(shard => StockShards.Key(sku, shard)).ToList() : [];
        if (held is not null)
        {
            keys.Remove(held);
            keys.Insert(0, held);
        }

        foreach (var key in keys)
        {
            var outcome = await calls.InventoryAsync<ReservationOutcome>(key, nameof(InventoryEntity.Reserve), strict);
            if (outcome.Succeeded)
            {
                return outcome;
            }
        }

        if (shards > 1)
        {
            await this.GatherAsync(sku, shards);
        }

        return await calls.InventoryAsync<ReservationOutcome>(sku, nameof(InventoryEntity.Reserve), request);
    }

    /// <summary>Moves every other shard's available units into the SKU's own entity (fills waiting orders there, told).</summary>
    private async Task GatherAsync(string sku, int shards)
    {
        var calls = steps.Calls;
        var transfer = $"gather {state.Actor}";
        var taken = await Task.WhenAll(Enumerable.Range(1, shards - 1).Select(shard => calls.InventoryAsync<IReadOnlyList<StockAllocation>>(
            StockShards.Key(sku, shard), nameof(InventoryEntity.TakeAvailable), new TakeShardStockRequest(transfer, null, int.MaxValue, state.Actor))));
        var units = taken.SelectMany(t => t)
            .GroupBy(a => a.Location, StringComparer.Ordinal)
            .Select(g => new StockAllocation(g.Key, g.Sum(a => a.Quantity)))
            .Where(a => a.Quantity > 0)
            .OrderBy(a => a.Location, StringComparer.Ordinal)
            .ToList();
        if (units.Count == 0)
        {
            return;
        }

        var received = await calls.InventoryAsync<StockChangeResult>(sku, nameof(InventoryEntity.Receive), new ReceiveShardStockRequest(transfer, units, state.Actor));
        await StockEvents.AfterChangeAsync(context, sku, received.Filled, received.Alert, calls.Retry);
    }

    private int ShardsOf(string sku) =>
        state.Input.Runs(OrderWorkflowVersions.StockSplitAcrossShards) ? StockShards.Bounded(state.Policy(sku).Shards) : 1;
}
