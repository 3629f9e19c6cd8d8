using OrderFlow.Domain.Inventory;

namespace OrderFlow.Workflows.Entities;

/// <summary>One order's hold on a SKU.</summary>
public sealed record ReservationView(string OrderId, int Quantity, DateTimeOffset ExpiresAt, IReadOnlyList<StockAllocation> Allocations);
