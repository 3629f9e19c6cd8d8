using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// Applies a stock count to a SKU entity. Going through an orchestration keeps every stock change inside the
/// engine (serialized with reservations, recorded in history) instead of writing counters from the HTTP layer.
/// </summary>
public sealed class StockAdjustmentOrchestrator : TaskOrchestrator<StockAdjustment, StockView>
{
    public override async Task<StockView> RunAsync(TaskOrchestrationContext context, StockAdjustment input)
    {
        var entity = new EntityInstanceId(nameof(InventoryEntity), input.Sku);
        StockView? view = null;
        foreach (var (location, onHand) in input.OnHandByLocation.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            view = await context.Entities.CallEntityAsync<StockView>(entity, nameof(InventoryEntity.SetOnHand), new SetOnHandRequest(location, onHand));
        }

        return view ?? await context.Entities.CallEntityAsync<StockView>(entity, nameof(InventoryEntity.Get));
    }
}
