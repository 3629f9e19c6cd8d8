namespace OrderFlow.Domain.Inventory;

/// <summary>Stock that arrived went to a waiting order: <see cref="Quantity"/> units now reserved for it, <see cref="Remaining"/> still awaited.</summary>
public sealed record BackorderFill(string OrderId, int Quantity, int Remaining, IReadOnlyList<StockAllocation> Allocations);
