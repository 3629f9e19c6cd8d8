namespace OrderFlow.Api.Models;

/// <summary>
/// One SKU of an import: <paramref name="Action"/> is "create" (not in the catalog yet), "update" (a field or a
/// location's units differ) or "unchanged"; the catalog fields that change, and the units per location.
/// </summary>
public sealed record CatalogSkuChange(string Sku, string Action, IReadOnlyList<CatalogFieldChange> Fields, IReadOnlyList<CatalogUnitChange> Units);
