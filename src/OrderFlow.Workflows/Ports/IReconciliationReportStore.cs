using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>Durable store of reconciliation reports (one per report id = reconciliation instance id).</summary>
public interface IReconciliationReportStore
{
    /// <summary>Stores the report; saving the same report id again replaces it (a retried activity writes the same report).</summary>
    Task SaveAsync(ReconciliationReport report, CancellationToken cancellationToken = default);

    Task<ReconciliationReport?> GetAsync(string reportId, CancellationToken cancellationToken = default);
}
