using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Reconciliation;

/// <summary>One disagreement: what one side should hold (<see cref="Expected"/>) and what it holds (<see cref="Actual"/>).</summary>
/// <param name="Subject">Which comparison (<see cref="ReconciliationSubject"/>).</param>
public sealed record ReconciliationMismatch(MismatchKind Kind, string Subject, Money Expected, Money Actual, string Explanation)
{
    /// <summary>The case id of this mismatch: stable per (order, kind, subject), so a re-run never opens a second case.</summary>
    public string CaseId(string orderId) => $"{orderId}-reconcile-{Kind}-{Subject}";
}
