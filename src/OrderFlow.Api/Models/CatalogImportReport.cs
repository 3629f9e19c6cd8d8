namespace OrderFlow.Api.Models;

/// <summary>
/// Answer of POST /api/catalog/import: what the file changes per SKU (or changed, when applied) and the rows refused with
/// their reasons. <paramref name="FileSha256"/> identifies the file: its stock movements are keyed by it, so posting the
/// same file again applies nothing twice. <paramref name="Applied"/> is false for a dry run and for a refused file.
/// </summary>
public sealed record CatalogImportReport(
    bool DryRun,
    bool Applied,
    string FileSha256,
    int Rows,
    string Summary,
    IReadOnlyList<CatalogSkuChange> Changes,
    IReadOnlyList<CatalogRejectedRow> Rejected);
