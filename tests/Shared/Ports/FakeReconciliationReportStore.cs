using System.Collections.Concurrent;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing.Ports;

/// <summary>In-memory <see cref="IReconciliationReportStore"/> (a save replaces the report of the same id).</summary>
public sealed class FakeReconciliationReportStore(ChangeFeed feed) : IReconciliationReportStore
{
    private readonly ConcurrentDictionary<string, ReconciliationReport> reports = new(StringComparer.Ordinal);

    public Task SaveAsync(ReconciliationReport report, CancellationToken cancellationToken = default)
    {
        this.reports[report.ReportId] = report;
        feed.Publish();
        return Task.CompletedTask;
    }

    public Task<ReconciliationReport?> GetAsync(string reportId, CancellationToken cancellationToken = default) =>
        Task.FromResult(this.reports.GetValueOrDefault(reportId));
}
