using OrderFlow.Domain.Inventory;

namespace OrderFlow.Workflows.Contracts;

/// <summary>What one SKU entity operation changed: its movements, the availability after it, and a low-stock crossing.</summary>
public sealed record StockJournalEntry(
    string Sku,
    long Sequence,
    DateTimeOffset At,
    IReadOnlyList<StockMovement> Movements,
    IReadOnlyDictionary<string, int> AvailableByLocation,
    LowStockAlert? Alert);

/// <summary>A ledger row as stored: the movement and when it happened.</summary>
public sealed record StockLedgerLine(StockMovement Movement, DateTimeOffset At);

/// <summary>
/// A low-stock alert as recorded for the operations API; <paramref name="NotifyError"/> says why purchasing could not be
/// emailed (null once an email went out). <paramref name="SuggestedQuantity"/> and <paramref name="Suggestion"/> are the
/// purchase-order suggestion worked out when purchasing was told; a receipt of the SKU closes the suggestion
/// (<paramref name="ClosedAt"/>, <paramref name="ClosedBy"/> = the receipt's reason and reference).
/// </summary>
public sealed record StockAlertRecord(
    string Sku,
    long Sequence,
    int Available,
    int Threshold,
    DateTimeOffset RaisedAt,
    DateTimeOffset? NotifiedAt,
    string? NotifyError = null,
    int? SuggestedQuantity = null,
    string? Suggestion = null,
    DateTimeOffset? ClosedAt = null,
    string? ClosedBy = null)
{
    /// <summary>An alert still waiting for a receipt: open purchase-order suggestions, oldest first, one per SKU (its newest).</summary>
    public static IReadOnlyList<StockAlertRecord> OpenSuggestions(IEnumerable<StockAlertRecord> alerts) =>
        [.. alerts.Where(a => a.ClosedAt is null)
            .GroupBy(a => a.Sku, StringComparer.Ordinal)
            .Select(g => g.MaxBy(a => a.Sequence)!)
            .OrderBy(a => a.RaisedAt)];
}
