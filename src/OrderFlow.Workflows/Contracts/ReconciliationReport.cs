namespace OrderFlow.Workflows.Contracts;

/// <summary>The outcome of one reconciliation run: counts, totals per category and currency, every mismatch, every skip.</summary>
/// <param name="Truncated">The range held more orders than one run reconciles; run smaller ranges for the rest.</param>
public sealed record ReconciliationReport(
    string ReportId,
    DateOnly From,
    DateOnly To,
    DateTimeOffset GeneratedAt,
    int OrdersChecked,
    int Matched,
    int Mismatched,
    int Skipped,
    bool Truncated,
    IReadOnlyList<ReconciliationTotal> Totals,
    IReadOnlyList<ReconciliationLine> Mismatches,
    IReadOnlyList<ReconciliationSkip> Skips)
{
    /// <summary>Builds the report from the per-order results (pure: the orchestrator calls it).</summary>
    public static ReconciliationReport Build(
        string reportId, DateOnly from, DateOnly to, DateTimeOffset generatedAt, IReadOnlyList<OrderReconciliation> results, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(results);
        var reconciled = results.Where(r => r.Result is not null).Select(r => r.Result!).ToList();
        var matched = reconciled.Where(r => r.Matched).ToList();
        var lines = reconciled
            .SelectMany(r => r.Mismatches.Select(m => new ReconciliationLine(r.OrderId, m.Kind, m.Subject, m.Expected, m.Actual, m.Explanation, m.CaseId(r.OrderId))))
            .ToList();

        var totals = matched
            .GroupBy(r => r.Expected.Currency, StringComparer.Ordinal)
            .Select(g => new ReconciliationTotal(ReconciliationTotal.Matched, g.Key, g.Count(), g.Sum(r => r.Expected.MinorUnits), g.Sum(r => r.Expected.MinorUnits)))
            .Concat(lines
                .GroupBy(l => (Kind: l.Kind.ToString(), l.Expected.Currency))
                .Select(g => new ReconciliationTotal(g.Key.Kind, g.Key.Currency, g.Count(), g.Sum(l => l.Expected.MinorUnits),
                    g.Sum(l => l.Actual.Currency == g.Key.Currency ? l.Actual.MinorUnits : 0))))
            .OrderBy(t => t.Category == ReconciliationTotal.Matched ? 0 : 1)
            .ThenBy(t => t.Category, StringComparer.Ordinal)
            .ThenBy(t => t.Currency, StringComparer.Ordinal)
            .ToList();

        var skips = results.Where(r => r.Result is null).Select(r => new ReconciliationSkip(r.OrderId, r.SkippedReason ?? "not reconciled")).ToList();
        return new ReconciliationReport(
            reportId, from, to, generatedAt, reconciled.Count, matched.Count, reconciled.Count - matched.Count, skips.Count, truncated, totals, lines, skips);
    }
}
