using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api.Retention;
using OrderFlow.Functions.Durable;
using OrderFlow.Workflows.Inventory;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// Releases abandoned stock reservations (see <see cref="ReservationReaper"/>) on the schedule in the app setting
/// ReservationReaperSchedule (NCRONTAB, e.g. "0 */15 * * * *"); the same timer runs the delivery payload retention
/// (<see cref="DeliveryRetention"/>, at most hourly), also when the reaper pass fails.
/// </summary>
public sealed class ReservationReaperTimerTrigger(ReservationReaper reaper, DeliveryRetention retention, TimeProvider clock)
{
    public const string ScheduleSetting = "ReservationReaperSchedule";

    [Function(nameof(ReservationReaperTimer))]
    public async Task ReservationReaperTimer(
        [TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        try
        {
            await reaper.RunOnceAsync(new DurableTaskClientWorkflowClient(client), clock.GetUtcNow(), cancellationToken);
        }
        finally
        {
            await retention.RunIfDueAsync(clock.GetUtcNow(), cancellationToken);
        }
    }
}
