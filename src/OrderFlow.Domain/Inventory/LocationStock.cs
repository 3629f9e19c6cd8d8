namespace OrderFlow.Domain.Inventory;

/// <summary>Counters of one SKU at one location.</summary>
public sealed class LocationStock
{
    public int OnHand { get; set; }

    public int Reserved { get; set; }

    public int Available => OnHand - Reserved;
}
