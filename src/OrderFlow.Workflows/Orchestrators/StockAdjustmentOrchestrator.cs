using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// Applies a stock count or adjustment to a SKU entity. Going through an orchestration keeps every stock change inside
/// the engine (serialized with reservations, recorded in history) instead of writing counters from the HTTP layer, and
/// lets the change wake the orders it filled and alert purchasing. A split SKU (<see cref="StockAdjustment.Shards"/>) has
/// its shards' available units at the counted or written-off locations moved into its own entity first, and a count
/// sets the SKU's own entity to the counted units the shards do not hold (their reserved units), so the shards and the
/// SKU's entity together hold what was counted. Receipts and returns land in the SKU's own entity (the rebalancer spreads them).
/// </summary>
public sealed class StockAdjustmentOrchestrator : TaskOrchestrator<StockAdjustment, StockView>
{
    public override async Task<StockView> RunAsync(TaskOrchestrationContext context, StockAdjustment input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var entity = DurableCalls.Inventory(input.Sku);
        var retry = ActivityRetry.Standard;
        StockView? view = null;
        var counts = await ThroughShardsAsync(context, input);
        foreach (var (location, onHand) in counts.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var change = await context.Entities.CallEntityAsync<StockChangeResult>(
                entity, nameof(InventoryEntity.SetOnHand), new SetOnHandRequest(location, onHand, input.Actor, input.Reason));
            await StockEvents.AfterChangeAsync(context, input.Sku, change.Filled, change.Alert, retry);
            view = change.View;
        }

        foreach (var (location, delta) in (input.DeltaByLocation ?? new Dictionary<string, int>()).OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var change = await context.Entities.CallEntityAsync<StockChangeResult>(
                entity, nameof(InventoryEntity.Adjust), new AdjustStockRequest(location, delta, input.Actor, input.Reason, input.OrderId));
            await StockEvents.AfterChangeAsync(context, input.Sku, change.Filled, change.Alert, retry);
            view = change.View;
        }

        // The threshold last, so a count and a threshold in one request alert only when the counted stock is below it.
        if (input.SetReorderThreshold)
        {
            view = await context.Entities.CallEntityAsync<StockView>(entity, nameof(InventoryEntity.SetReorderThreshold), input.ReorderThreshold);
        }

        return view ?? await context.Entities.CallEntityAsync<StockView>(entity, nameof(InventoryEntity.Get));
    }

    /// <summary>For a split SKU: brings the shards' available units home at the locations concerned; returns the counts to set there.</summary>
    private static async Task<IReadOnlyDictionary<string, int>> ThroughShardsAsync(TaskOrchestrationContext context, StockAdjustment input)
    {
        var shards = StockShards.Bounded(input.Shards);
        if (shards == 1)
        {
            return input.OnHandByLocation;
        }

        var others = StockShards.Keys(input.Sku, shards).Skip(1).ToList();
        var removals = (input.DeltaByLocation ?? new Dictionary<string, int>()).Where(d => d.Value < 0).Select(d => d.Key);
        foreach (var location in input.OnHandByLocation.Keys.Concat(removals).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            foreach (var shard in others)
            {
                await StockRebalanceOrchestrator.MoveAsync(context, input.Sku, shard, input.Sku, location, int.MaxValue, $"count {context.InstanceId}", input.Actor);
            }
        }

        if (input.OnHandByLocation.Count == 0)
        {
            return input.OnHandByLocation;
        }

        // What the shards still hold at a location is reserved there (their available units came home): part of the count.
        var views = await Task.WhenAll(others.Select(k => context.Entities.CallEntityAsync<StockView>(DurableCalls.Inventory(k), nameof(InventoryEntity.Get))));
        return input.OnHandByLocation.ToDictionary(
            c => c.Key,
            c => Math.Max(0, c.Value - views.Sum(v => v is not null && v.Locations.TryGetValue(c.Key, out var l) ? l.OnHand : 0)),
            StringComparer.Ordinal);
    }
}
