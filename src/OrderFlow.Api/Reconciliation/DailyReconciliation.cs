using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Reconciliation;

/// <summary>
/// Starts the scheduled run of the previous UTC day, for both hosts (the host's scheduler and the Functions timer).
/// Idempotent: the day's instance id is fixed, so a second start (a restarted host, a timer firing twice) is a no-op.
/// </summary>
public sealed partial class DailyReconciliation(
    IOptions<ReconciliationOptions> options,
    IOptions<WorkflowOptions> workflow,
    TimeProvider clock,
    ILogger<DailyReconciliation> logger)
{
    /// <summary>The day before today (UTC).</summary>
    public DateOnly PreviousDay() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);

    /// <summary>Starts the previous day's run unless it already exists or the schedule is off; true when this call started it.</summary>
    public async Task<bool> StartPreviousDayAsync(IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        if (!options.Value.Enabled)
        {
            LogDisabled();
            return false;
        }

        var day = PreviousDay();
        var reportId = ReconciliationRequest.InstanceIdFor(day, day);
        var started = await workflows.StartAsync(
            nameof(ReconciliationOrchestrator), reportId, new ReconciliationRequest(day, day, workflow.Value.ToSettings()), cancellationToken);
        if (started)
        {
            LogStarted(reportId);
        }
        else
        {
            LogAlreadyStarted(reportId);
        }

        return started;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled reconciliation {ReportId} started")]
    private partial void LogStarted(string reportId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled reconciliation {ReportId} already exists; nothing started")]
    private partial void LogAlreadyStarted(string reportId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled reconciliation is off (Reconciliation:Enabled=false)")]
    private partial void LogDisabled();
}
