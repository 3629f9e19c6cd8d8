using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Functions.Durable;
using OrderFlow.Workflows.Inventory;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// Releases abandoned stock reservations (see <see cref="ReservationReaper"/>) on the schedule in the app setting
/// ReservationReaperSchedule (NCRONTAB, e.g. "0 */15 * * * *").
/// </summary>
public sealed class ReservationReaperTimerTrigger(ReservationReaper reaper, TimeProvider clock)
{
    public const string ScheduleSetting = "ReservationReaperSchedule";

    [Function(nameof(ReservationReaperTimer))]
    public async Task ReservationReaperTimer(
        [TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        await reaper.RunOnceAsync(new DurableTaskClientWorkflowClient(client), clock.GetUtcNow(), cancellationToken);
}
