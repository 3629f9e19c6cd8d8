namespace OrderFlow.Domain.Inventory;

/// <summary>
/// One line of a SKU's movement ledger: how one operation changed the counters at one location. Summing a SKU's
/// movements per location gives its on-hand and reserved counters, which is what the audit checks.
/// </summary>
/// <param name="Sequence">The SKU's operation number (one per state-changing operation, increasing).</param>
/// <param name="Reason">Why: count, receipt, adjustment, return, reserve, release, expired, commit, backorder-fill, repair.</param>
public sealed record StockMovement(
    long Sequence,
    string Location,
    int OnHandDelta,
    int ReservedDelta,
    string Reason,
    string? OrderId,
    string? FulfillmentId,
    string Actor);
