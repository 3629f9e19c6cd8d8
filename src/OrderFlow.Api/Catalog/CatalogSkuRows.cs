namespace OrderFlow.Api.Catalog;

/// <summary>
/// The accepted rows of one SKU in an import file, merged: the catalog fields its rows give (null: keep the current
/// value), and the counted units per location. <see cref="Line"/> is the SKU's first line.
/// </summary>
public sealed record CatalogSkuRows(
    string Sku,
    int Line,
    string? Title,
    int? ReorderThreshold,
    string? OutOfStockPolicy,
    string? SubstituteSku,
    string? DownloadUrl,
    IReadOnlyDictionary<string, int> Units);
