namespace OrderFlow.Api.Models;

/// <summary>
/// Body of POST /api/inventory/{sku}/movements: <paramref name="Quantity"/> units added (negative: removed) at
/// <paramref name="Location"/>, for <paramref name="Reason"/> (received, returned, count-correction, damaged, lost), with
/// an optional <paramref name="Reference"/> (a purchase order, a count sheet) kept on the movement ledger.
/// </summary>
public sealed record StockMovement(string? Location, int Quantity, string? Reason, string? Reference);
