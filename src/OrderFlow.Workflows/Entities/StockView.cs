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
    long Sequence = 0);
