using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>Reads a SKU entity's stock through the engine (consistent with queued operations).</summary>
public sealed class StockQueryOrchestrator : TaskOrchestrator<string, StockView>
{
    public override Task<StockView> RunAsync(TaskOrchestrationContext context, string sku) =>
        context.Entities.CallEntityAsync<StockView>(DurableCalls.Inventory(sku), nameof(InventoryEntity.Get));
}
