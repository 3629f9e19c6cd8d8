using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Reconciliation;

/// <summary>The three figures of one order and every way they disagree (none: the order is matched).</summary>
/// <param name="Expected">Fulfilled units x price (+ shipping + tax - discount, pro-rated as the order workflow books it).</param>
/// <param name="Charged">Captured - refunded at the provider (in the payment's currency).</param>
/// <param name="Booked">Sales - refunds in the accounting documents of the order's currency.</param>
public sealed record ReconciliationResult(string OrderId, Money Expected, Money Charged, Money Booked, IReadOnlyList<ReconciliationMismatch> Mismatches)
{
    public bool Matched => Mismatches.Count == 0;
}
