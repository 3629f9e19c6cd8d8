using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// Applies a stock count or adjustment to a SKU entity. Going through an orchestration keeps every stock change inside
/// the engine (serialized with reservations, recorded in history) instead of writing counters from the HTTP layer, and
/// lets the change wake the orders it filled and alert purchasing.
/// </summary>
public sealed class StockAdjustmentOrchestrator : TaskOrchestrator<StockAdjustment, StockView>
{
    public override async Task<StockView> RunAsync(TaskOrchestrationContext context, StockAdjustment input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var entity = new EntityInstanceId(nameof(InventoryEntity), input.Sku);
        var retry = ActivityRetry.Standard;
        StockView? view = null;
        foreach (var (location, onHand) in input.OnHandByLocation.OrderBy(l => l.Key, StringComparer.Ordinal))
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
}
