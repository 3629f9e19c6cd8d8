namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>GET/PUT /api/inventory/{sku}: counters per location and who holds reservations.</summary>
public sealed record StockResponse(
    string Sku,
    int OnHand,
    int Reserved,
    int Available,
    IReadOnlyDictionary<string, LocationStockResponse> Locations,
    IReadOnlyList<ReservationResponse> Reservations)
{
    public ReservationResponse? ReservationOf(string orderId) => Reservations.SingleOrDefault(r => r.OrderId == orderId);
}
