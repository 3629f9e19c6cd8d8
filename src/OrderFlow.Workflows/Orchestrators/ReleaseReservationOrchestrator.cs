using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// Releases one order's reservation of one SKU from outside its workflow (the reaper, for an abandoned order), inside
/// the engine so the change is serialized with reservations; the freed units go to waiting orders, which are told.
/// </summary>
public sealed class ReleaseReservationOrchestrator : TaskOrchestrator<ReleaseReservation, StockRelease>
{
    public override async Task<StockRelease> RunAsync(TaskOrchestrationContext context, ReleaseReservation input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var released = await context.Entities.CallEntityAsync<StockRelease>(
            DurableCalls.Inventory(input.Sku), nameof(InventoryEntity.Release), new ReleaseStockRequest(input.OrderId, input.Reason, input.Actor));
        await StockEvents.AfterChangeAsync(context, input.Sku, released.Filled, null, ActivityRetry.Standard);
        return released;
    }
}

/// <summary>Input of <see cref="ReleaseReservationOrchestrator"/>.</summary>
public sealed record ReleaseReservation(string Sku, string OrderId, string Reason, string Actor);
