using OrderFlow.Domain.Inventory;

namespace OrderFlow.Workflows.Entities;

/// <summary>Read model of one SKU's stock: per-location counters, who holds reservations, who waits, the threshold.</summary>
public sealed record StockView(
    string Sku,
    int OnHand,
    int Reserved,
    int Available,
    IReadOnlyDictionary<string, LocationStockView> Locations,
    IReadOnlyList<ReservationView> Reservations,
    IReadOnlyList<BackorderView>? Backorders = null,
    int? ReorderThreshold = null,
    long Sequence = 0)
{
    /// <summary>The view of <paramref name="sku"/>'s stock held in <paramref name="state"/> (one entity's, or a whole split SKU's).</summary>
    public static StockView Of(string sku, SkuInventory state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(
            sku,
            state.OnHand,
            state.Reserved,
            state.Available,
            state.Locations.ToDictionary(l => l.Key, l => new LocationStockView(l.Value.OnHand, l.Value.Reserved, l.Value.Available), StringComparer.Ordinal),
            state.Reservations.Values
                .OrderBy(r => r.OrderId, StringComparer.Ordinal)
                .Select(r => new ReservationView(r.OrderId, r.Quantity, r.ExpiresAt, r.Allocations.ToList()))
                .ToList(),
            state.Backorders.OrderBy(b => b.Sequence).Select((b, i) => new BackorderView(i + 1, b.OrderId, b.Quantity)).ToList(),
            state.ReorderThreshold,
            state.Sequence);
    }
}
