namespace OrderFlow.Domain.Inventory;

/// <summary>The stock one order holds on one SKU, per location, until it is committed, released or expires.</summary>
public sealed class StockReservation
{
    public required string OrderId { get; init; }

    public List<StockAllocation> Allocations { get; set; } = [];

    public DateTimeOffset ExpiresAt { get; set; }

    public int Quantity => Allocations.Sum(a => a.Quantity);
}
