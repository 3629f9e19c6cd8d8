namespace OrderFlow.Api.Models;

/// <summary>A row of an import file that was refused: the file line it starts on, its SKU (when it has one) and why.</summary>
public sealed record CatalogRejectedRow(int Line, string? Sku, string Reason);
