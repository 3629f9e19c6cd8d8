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

    /// <summary>
    /// The decision in words for the order's timeline: the allocation, why the winner won, then the candidates
    /// (at most <paramref name="maxCandidates"/>, the rest counted).
    /// </summary>
    public string Describe(int maxCandidates = 20)
    {
        var allocated = Allocations.Count == 0
            ? "nothing"
            : string.Join(", ", Allocations.Select(a => $"{a.Quantity} x {a.Sku} from {a.LocationId} ({a.Method}{(a.IsDigital ? ", digital" : string.Empty)})"));
        var listed = Candidates.Take(maxCandidates)
            .Select(c => $"{string.Join(" + ", c.Locations)} {(c.Eligible ? "eligible" : "not eligible")}: {c.Reason}");
        var more = Candidates.Count > maxCandidates ? $"; {Candidates.Count - maxCandidates} more" : string.Empty;
        return $"Allocated {allocated}. {WinnerReason} Candidates: {string.Join("; ", listed)}{more}.";
    }
}
