using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Api.Models;

/// <summary>
/// GET /api/inventory/{sku}/explain: "why can't I sell this?" The counters per location, who holds the reserved units
/// and until when, who waits for units (oldest first), the policy and threshold in force, the latest ledger movements,
/// and plain sentences that say what limits the sellable quantity.
/// </summary>
public sealed record StockExplanation(
    string Sku,
    bool Sellable,
    string OutOfStockPolicy,
    string? SubstituteSku,
    int? ReorderThreshold,
    int OnHand,
    int Reserved,
    int Available,
    IReadOnlyDictionary<string, LocationStockView> Locations,
    IReadOnlyList<ReservationView> Reservations,
    IReadOnlyList<BackorderView> Backorders,
    IReadOnlyList<StockLedgerLine> RecentMovements,
    IReadOnlyList<string> Explanation);

/// <summary>
/// POST /api/inventory/{sku}/audit: the counters against the ledger's sums, per location; Repaired when the counters were
/// reset to the ledger. <paramref name="PendingMovements"/>: ledger movements of an operation the SKU's entity has not
/// saved yet (running, or to be run again after a restart); they are not in the sums.
/// </summary>
public sealed record StockAudit(string Sku, int LedgerMovements, bool Drift, bool Repaired, IReadOnlyList<LocationAudit> Locations, int PendingMovements = 0);

/// <summary>One location's counters and the ledger's sums for it.</summary>
public sealed record LocationAudit(string Location, int OnHand, int LedgerOnHand, int Reserved, int LedgerReserved, int ReservedByOrders)
{
    public bool Drift => OnHand != LedgerOnHand || Reserved != LedgerReserved || Reserved != ReservedByOrders;
}
