using System.Text.Json.Serialization;

namespace OrderFlow.Domain.Inventory;

/// <summary>
/// Result of a reservation request. Without backorder it is all-or-nothing for the SKU and on failure says what was
/// available (never clamped). With backorder, <see cref="Allocations"/> hold what exists and <see cref="Backordered"/>
/// the units queued for the next restock, explicitly. <see cref="Shard"/> names the entity that holds the reservation
/// when the SKU's stock is split across shards (<see cref="StockShards"/>) and it is not the SKU's own entity.
/// </summary>
public sealed record ReservationOutcome(
    string Sku,
    bool Succeeded,
    int Requested,
    int Available,
    IReadOnlyList<StockAllocation> Allocations,
    int Backordered = 0,
    LowStockAlert? LowStock = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Shard = null)
{
    public int Shortfall => Succeeded ? 0 : Requested - Math.Max(Available, 0);

    public int ReservedQuantity => Allocations.Sum(a => a.Quantity);
}
