namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// A product the store sells: its out-of-stock policy (null: the store's default), the SKU that may replace it under
/// the Substitute policy, and the low-stock threshold its alerts use. A <see cref="Digital"/> product needs no stock
/// and no shipment: the customer gets <see cref="DownloadUrl"/> (the store's download or licence page).
/// </summary>
public sealed record CatalogItem(
    string Sku,
    string Title,
    bool Sellable,
    string? OutOfStockPolicy = null,
    string? SubstituteSku = null,
    int? ReorderThreshold = null,
    bool Digital = false,
    string? DownloadUrl = null);
