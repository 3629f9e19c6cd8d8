using Microsoft.Azure.Functions.Worker;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// One entity trigger per entity in <see cref="Workflows.WorkflowRegistry"/>. Durable Functions matches entity names
/// case-insensitively, so <c>new EntityInstanceId(nameof(InventoryEntity), sku)</c> reaches this function.
/// </summary>
public static class EntityTriggers
{
    [Function(nameof(InventoryEntity))]
    public static Task InventoryEntity([EntityTrigger] TaskEntityDispatcher dispatcher) =>
        dispatcher.DispatchAsync<Workflows.Entities.InventoryEntity>();
}
