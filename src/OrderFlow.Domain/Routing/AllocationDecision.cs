using OrderFlow.Domain.Inventory;

namespace OrderFlow.Domain.Routing;

/// <summary>
/// The routing decision: what to take from where, what is missing, the candidates considered and why the winner won.
/// Reservation and fulfillment consume exactly <see cref="Allocations"/>.
/// </summary>
public sealed record AllocationDecision(
    IReadOnlyList<Allocation> Allocations,
    IReadOnlyList<AllocationShortage> Shortages,
    IReadOnlyList<AllocationCandidate> Candidates,
    string WinnerReason)
{
    /// <summary>True when every demanded unit is allocated.</summary>
    public bool IsComplete => Shortages.Count == 0;

    /// <summary>The physical allocations of each SKU as stock allocations, the form a reservation holds (digital lines hold none).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<StockAllocation>> StockAllocationsBySku() =>
        Allocations
            .Where(a => !a.IsDigital)
            .GroupBy(a => a.Sku, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<StockAllocation>)g.Select(a => new StockAllocation(a.LocationId, a.Quantity)).ToList(),
                StringComparer.Ordinal);
}
