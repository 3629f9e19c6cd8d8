using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api.Reconciliation;
using OrderFlow.Functions.Durable;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// The daily reconciliation on Azure: a timer on the NCRONTAB schedule in the app setting ReconciliationSchedule
/// (default in the Bicep and the sample: 02:00 UTC every day) starts the previous day's run (idempotent per day).
/// </summary>
public sealed class ReconciliationTimerTrigger(DailyReconciliation daily)
{
    /// <summary>The app setting holding the schedule; the Functions host resolves it when it indexes the function.</summary>
    public const string ScheduleSetting = "ReconciliationSchedule";

    [Function(nameof(ReconciliationTimer))]
    public Task ReconciliationTimer(
        [TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        daily.StartPreviousDayAsync(new DurableTaskClientWorkflowClient(client), cancellationToken);
}
