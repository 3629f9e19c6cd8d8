using OrderFlow.Domain.Inventory;

namespace OrderFlow.Workflows.Entities;

/// <summary>A stock count or adjustment: the SKU after it, the waiting orders it filled, and a low-stock crossing.</summary>
public sealed record StockChangeResult(StockView View, IReadOnlyList<BackorderFill> Filled, LowStockAlert? Alert);
