using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// Moves a split SKU's available stock between its shard entities (<see cref="StockShards"/>) toward demand: when orders
/// wait in the SKU's own entity's backorder queue, every shard's available units go there (they fill the queue, and the
/// orders are told); otherwise each location's available units are spread evenly over the shards, so each order's home
/// shard has stock. Shards past <see cref="StockRebalance.Shards"/> (the SKU was split into more before, or is no longer
/// split) give all their available units to the SKU's own entity. Every move is one entity operation taking units out of
/// a shard (only units no order holds) and one putting exactly those into another, both in the ledger, so nothing is sold
/// twice and, once the orchestration ends, the shards' on-hand sums to the SKU's stock. Reservations stay where they are.
/// </summary>
public sealed class StockRebalanceOrchestrator : TaskOrchestrator<StockRebalance, int>
{
    /// <summary>Returns the units moved.</summary>
    public override async Task<int> RunAsync(TaskOrchestrationContext context, StockRebalance input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shards = StockShards.Bounded(input.Shards);
        var keys = StockShards.Keys(input.Sku, shards);
        var transfer = $"rebalance {context.InstanceId}";
        var moved = 0;

        // Shards no longer in use: everything available goes home.
        foreach (var retired in input.Retired.Where(k => StockShards.SkuOf(k) == input.Sku && !keys.Contains(k)).Order(StringComparer.Ordinal))
        {
            moved += await MoveAsync(context, input.Sku, retired, input.Sku, null, int.MaxValue, transfer);
        }

        if (shards == 1)
        {
            return moved;
        }

        var views = (await Task.WhenAll(keys.Select(k => context.Entities.CallEntityAsync<StockView>(DurableCalls.Inventory(k), nameof(InventoryEntity.Get))))).Select(v => v!).ToArray();
        if (views[0].Backorders is { Count: > 0 })
        {
            // Orders wait for units in the SKU's own entity: the shards' available units go to them first.
            foreach (var key in keys.Skip(1))
            {
                moved += await MoveAsync(context, input.Sku, key, input.Sku, null, int.MaxValue, transfer);
            }

            return moved;
        }

        foreach (var location in views.SelectMany(v => v.Locations.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var available = views.Select(v => v.Locations.TryGetValue(location, out var l) ? Math.Max(l.Available, 0) : 0).ToArray();
            var total = available.Sum();
            var target = Enumerable.Range(0, shards).Select(i => (total / shards) + (i < total % shards ? 1 : 0)).ToArray();
            var surplus = Enumerable.Range(0, shards).Where(i => available[i] > target[i]).ToList();
            var deficit = Enumerable.Range(0, shards).Where(i => available[i] < target[i]).ToList();
            var d = 0;
            var room = deficit.Count > 0 ? target[deficit[0]] - available[deficit[0]] : 0;
            foreach (var from in surplus)
            {
                var excess = available[from] - target[from];
                while (excess > 0 && d < deficit.Count)
                {
                    var units = Math.Min(excess, room);
                    moved += await MoveAsync(context, input.Sku, keys[from], keys[deficit[d]], location, units, transfer);
                    excess -= units;
                    room -= units;
                    if (room == 0 && ++d < deficit.Count)
                    {
                        room = target[deficit[d]] - available[deficit[d]];
                    }
                }
            }
        }

        return moved;
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> available units out of <paramref name="from"/> (fewer when orders reserved them
    /// meanwhile) and puts exactly what left into <paramref name="to"/>; waiting orders filled there are told.
    /// </summary>
    internal static async Task<int> MoveAsync(TaskOrchestrationContext context, string sku, string from, string to, string? location, int max, string transfer, string actor = "rebalancer")
    {
        var taken = await context.Entities.CallEntityAsync<IReadOnlyList<StockAllocation>>(
            DurableCalls.Inventory(from), nameof(InventoryEntity.TakeAvailable), new TakeShardStockRequest(transfer, location, max, actor));
        var units = taken.Where(t => t.Quantity > 0).ToList();
        if (units.Count == 0)
        {
            return 0;
        }

        var received = await context.Entities.CallEntityAsync<StockChangeResult>(
            DurableCalls.Inventory(to), nameof(InventoryEntity.Receive), new ReceiveShardStockRequest(transfer, units, actor));
        await StockEvents.AfterChangeAsync(context, sku, received.Filled, received.Alert, ActivityRetry.Standard);
        return units.Sum(u => u.Quantity);
    }
}

/// <summary>Input of <see cref="StockRebalanceOrchestrator"/>: the SKU, its shard count now, and shard keys found beyond it.</summary>
public sealed record StockRebalance(string Sku, int Shards, IReadOnlyList<string> Retired);
