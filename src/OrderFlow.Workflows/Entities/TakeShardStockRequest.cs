namespace OrderFlow.Workflows.Entities;

/// <summary>
/// Input of <c>InventoryEntity.TakeAvailable</c>: up to <paramref name="Max"/> available units (at <paramref name="Location"/>,
/// or anywhere when null) leave this shard for another shard of the SKU under the move's name <paramref name="Transfer"/>.
/// </summary>
public sealed record TakeShardStockRequest(string Transfer, string? Location, int Max, string Actor);
