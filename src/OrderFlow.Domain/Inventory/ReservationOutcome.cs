namespace OrderFlow.Domain.Inventory;

/// <summary>
/// Result of a reservation request: all-or-nothing for the SKU; on failure, what was available (never clamped).
/// </summary>
public sealed record ReservationOutcome(string Sku, bool Succeeded, int Requested, int Available, IReadOnlyList<StockAllocation> Allocations)
{
    public int Shortfall => Succeeded ? 0 : Requested - Math.Max(Available, 0);
}
