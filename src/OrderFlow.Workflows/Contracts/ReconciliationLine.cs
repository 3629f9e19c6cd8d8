using OrderFlow.Domain.Common;
using OrderFlow.Domain.Reconciliation;

namespace OrderFlow.Workflows.Contracts;

/// <summary>One mismatch of a report, with both sides' figures and the case it opened.</summary>
public sealed record ReconciliationLine(string OrderId, MismatchKind Kind, string Subject, Money Expected, Money Actual, string Explanation, string CaseId);
