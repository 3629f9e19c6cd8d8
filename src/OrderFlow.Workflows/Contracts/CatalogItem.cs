namespace OrderFlow.Workflows.Contracts;

/// <summary>A product the store sells, with its low-stock threshold.</summary>
public sealed record CatalogItem(string Sku, string Title, bool Sellable);
