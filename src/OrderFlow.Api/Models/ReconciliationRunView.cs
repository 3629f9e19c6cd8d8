namespace OrderFlow.Api.Models;

/// <summary>A reconciliation run: its report id, where it stands, and where its report is served.</summary>
public sealed record ReconciliationRunView(string ReportId, string Status, string ReportUrl, string CsvUrl, string ConsoleUrl);
