namespace OrderFlow.Api.Models;

/// <summary>PUT /api/inventory/{sku}: the product title (catalog) and counted on-hand units per location.</summary>
/// <remarks>
/// Optional: <see cref="ReorderThreshold"/> (low-stock alerts below it), <see cref="OutOfStockPolicy"/> (Escalate,
/// Backorder, Substitute, Cancel; null keeps the current one), <see cref="SubstituteSku"/> (for Substitute), and
/// <see cref="Digital"/> with its <see cref="DownloadUrl"/> (an absolute https URL) for products delivered without shipping.
/// </remarks>
public sealed record StockUpdate(
    string? Title,
    Dictionary<string, int>? Locations,
    bool? Sellable,
    int? ReorderThreshold = null,
    string? OutOfStockPolicy = null,
    string? SubstituteSku = null,
    bool? Digital = null,
    string? DownloadUrl = null);
