using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Functions.Durable;
using OrderFlow.Workflows.Watchdog;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// Runs the <see cref="WorkflowWatchdog"/> (failed/terminated order workflows and stuck orders get a case each) on the
/// schedule in the app setting WatchdogSchedule (NCRONTAB, e.g. "0 */15 * * * *").
/// </summary>
public sealed class WatchdogTimerTrigger(WorkflowWatchdog watchdog, TimeProvider clock)
{
    public const string ScheduleSetting = "WatchdogSchedule";

    [Function(nameof(WatchdogTimer))]
    public async Task WatchdogTimer(
        [TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        await watchdog.RunOnceAsync(new DurableTaskClientWorkflowClient(client), clock.GetUtcNow(), cancellationToken);
}
