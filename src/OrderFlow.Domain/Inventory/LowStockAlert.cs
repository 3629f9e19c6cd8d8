namespace OrderFlow.Domain.Inventory;

/// <summary>Available stock crossed below the SKU's reorder threshold (raised once per crossing, at operation <see cref="Sequence"/>).</summary>
public sealed record LowStockAlert(string Sku, long Sequence, int Available, int Threshold);
