using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Stores a reconciliation run's report (replacing it on a retry) for the API, the CSV and the console.</summary>
public sealed class SaveReconciliationReportActivity(IReconciliationReportStore reports) : TaskActivity<ReconciliationReport, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ReconciliationReport input)
    {
        await reports.SaveAsync(input);
        return true;
    }
}
