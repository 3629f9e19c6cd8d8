using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// Reconciliation reports in the "Reconciliations" table (partition "report", row key = report id): the counts as
/// columns, so they can be read in a table browser, and the whole report as JSON (chunked when large).
/// </summary>
public sealed partial class TableReconciliationReportStore(OrderFlowTables tables, ILogger<TableReconciliationReportStore> logger) : IReconciliationReportStore
{
    internal const string Partition = "report";

    public async Task SaveAsync(ReconciliationReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(report.ReportId);
        var table = await tables.GetAsync(TableNames.Reconciliations, cancellationToken);
        var entity = new TableEntity(Partition, TableKeys.Encode(report.ReportId))
        {
            ["ReportId"] = report.ReportId,
            ["From"] = report.From.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["To"] = report.To.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["GeneratedAt"] = report.GeneratedAt,
            ["OrdersChecked"] = report.OrdersChecked,
            ["Matched"] = report.Matched,
            ["Mismatched"] = report.Mismatched,
            ["Skipped"] = report.Skipped,
        };
        ChunkedText.Write(entity, "ReportJson", JsonSerializer.Serialize(report, IntegrationJson.Options));

        // Replace: a retried save writes the same report, and stale chunks of an earlier form must not survive.
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        LogSaved(report.ReportId, report.OrdersChecked, report.Mismatched);
    }

    public async Task<ReconciliationReport?> GetAsync(string reportId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reportId);
        var table = await tables.GetAsync(TableNames.Reconciliations, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Encode(reportId), cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is null)
        {
            return null;
        }

        return JsonSerializer.Deserialize<ReconciliationReport>(ChunkedText.Read(response.Value, "ReportJson") ?? "null", IntegrationJson.Options)
            ?? throw new InvalidDataException($"Reconciliation report {reportId} has no stored data.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation report {ReportId} saved: {OrdersChecked} order(s) checked, {Mismatched} mismatched")]
    private partial void LogSaved(string reportId, int ordersChecked, int mismatched);
}
