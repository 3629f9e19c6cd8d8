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
/// emailed (null once an email went out).
/// </summary>
public sealed record StockAlertRecord(
    string Sku, long Sequence, int Available, int Threshold, DateTimeOffset RaisedAt, DateTimeOffset? NotifiedAt, string? NotifyError = null);
