namespace OrderFlow.Workflows.Entities;

/// <summary>Read model of one SKU's stock: per-location counters and who holds reservations.</summary>
public sealed record StockView(
    string Sku,
    int OnHand,
    int Reserved,
    int Available,
    IReadOnlyDictionary<string, LocationStockView> Locations,
    IReadOnlyList<ReservationView> Reservations);
