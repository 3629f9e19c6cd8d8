using OrderFlow.Domain.Reconciliation;

namespace OrderFlow.Workflows.Contracts;

/// <summary>One order's reconciliation: its result, or why it was not reconciled (still in progress, unknown, a step failed).</summary>
public sealed record OrderReconciliation(string OrderId, ReconciliationResult? Result, string? SkippedReason)
{
    public static OrderReconciliation Skipped(string orderId, string reason) => new(orderId, null, reason);
}
