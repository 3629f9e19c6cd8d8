using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// The reaper's pass over one split SKU: first the <see cref="StockRebalanceOrchestrator"/> (a sub-orchestration, so none
/// of its moves is half done afterwards), then the low-stock decision on the whole SKU: every entity's available units,
/// read through the engine, summed and handed to the SKU's own entity (<see cref="InventoryEntity.DecideLowStock"/>),
/// which keeps the threshold and the crossing; an alert it raises is emailed to purchasing like any other. A SKU no
/// longer split (one shard) is only rebalanced: its own entity decides on its own counts again.
/// </summary>
public sealed class SplitStockCheckOrchestrator : TaskOrchestrator<SplitStockCheck, LowStockAlert?>
{
    public override async Task<LowStockAlert?> RunAsync(TaskOrchestrationContext context, SplitStockCheck input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var rebalance = input.Rebalance;
        await context.CallSubOrchestratorAsync<int>(nameof(StockRebalanceOrchestrator), rebalance, new SubOrchestrationOptions(instanceId: input.RebalanceId));
        var shards = StockShards.Bounded(rebalance.Shards);
        if (shards == 1)
        {
            return null;
        }

        var keys = StockShards.Keys(rebalance.Sku, shards).Concat(rebalance.Retired.Where(k => StockShards.SkuOf(k) == rebalance.Sku)).Distinct(StringComparer.Ordinal);
        var views = await Task.WhenAll(keys.Select(k => context.Entities.CallEntityAsync<StockView>(DurableCalls.Inventory(k), nameof(InventoryEntity.Get))));
        var available = views.Sum(v => v is null ? 0 : Math.Max(v.Available, 0));
        var alert = await context.Entities.CallEntityAsync<LowStockAlert?>(DurableCalls.Inventory(rebalance.Sku), nameof(InventoryEntity.DecideLowStock), available);
        await StockEvents.AfterChangeAsync(context, rebalance.Sku, [], alert, ActivityRetry.Standard);
        return alert;
    }
}

/// <summary>Input of <see cref="SplitStockCheckOrchestrator"/>: the rebalance to run first and its instance id.</summary>
public sealed record SplitStockCheck(StockRebalance Rebalance, string RebalanceId);
