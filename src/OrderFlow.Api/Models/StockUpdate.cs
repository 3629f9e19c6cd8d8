namespace OrderFlow.Api.Models;

/// <summary>PUT /api/inventory/{sku}: the product title (catalog) and counted on-hand units per location.</summary>
public sealed record StockUpdate(string? Title, Dictionary<string, int>? Locations, bool? Sellable);
