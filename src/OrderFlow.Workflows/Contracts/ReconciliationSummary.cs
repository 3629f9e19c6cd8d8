namespace OrderFlow.Workflows.Contracts;

/// <summary>What a reconciliation run returns (the full report is stored under <paramref name="ReportId"/>).</summary>
public sealed record ReconciliationSummary(string ReportId, int OrdersChecked, int Matched, int Mismatched, int Skipped, int CasesOpened);
