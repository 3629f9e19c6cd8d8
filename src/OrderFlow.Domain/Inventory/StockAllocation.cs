namespace OrderFlow.Domain.Inventory;

/// <summary>A quantity of one SKU held at one location.</summary>
public sealed record StockAllocation(string Location, int Quantity);
