using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>Sets a SKU entity's counters to the ledger's sums (the audit's repair), inside the engine like every stock change.</summary>
public sealed class StockRepairOrchestrator : TaskOrchestrator<StockRepair, StockView>
{
    public override Task<StockView> RunAsync(TaskOrchestrationContext context, StockRepair input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return context.Entities.CallEntityAsync<StockView>(
            DurableCalls.Inventory(input.Sku), nameof(InventoryEntity.Rebuild), new RebuildStockRequest(input.Locations));
    }
}

/// <summary>Input of <see cref="StockRepairOrchestrator"/>: the counters per location summed from the ledger.</summary>
public sealed record StockRepair(string Sku, IReadOnlyDictionary<string, LocationCounters> Locations);
