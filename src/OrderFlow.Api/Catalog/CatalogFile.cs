using OrderFlow.Api.Models;

namespace OrderFlow.Api.Catalog;

/// <summary>A parsed import file: its data rows, the SKUs its accepted rows give, and the rows refused with reasons.</summary>
public sealed record CatalogFile(int Rows, IReadOnlyList<CatalogSkuRows> Skus, IReadOnlyList<CatalogRejectedRow> Rejected);
