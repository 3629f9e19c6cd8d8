using OrderFlow.Domain.Inventory;

namespace OrderFlow.Workflows.Entities;

/// <summary>Input of <c>InventoryEntity.Receive</c>: the units another shard of the SKU gave up in the move <paramref name="Transfer"/>.</summary>
public sealed record ReceiveShardStockRequest(string Transfer, IReadOnlyList<StockAllocation> Units, string Actor);
