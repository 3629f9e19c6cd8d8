using OrderFlow.Domain.Inventory;

namespace OrderFlow.Workflows.Entities;

/// <summary>
/// Entity operation input: hold units of this SKU for an order until a deadline. <see cref="AllowBackorder"/> queues
/// what is missing; <see cref="Preferred"/> is the routing decision's allocation, used while it is still available.
/// </summary>
public sealed record ReserveStockRequest(
    string OrderId, int Quantity, DateTimeOffset ExpiresAt, bool AllowBackorder = false, IReadOnlyList<StockAllocation>? Preferred = null);
