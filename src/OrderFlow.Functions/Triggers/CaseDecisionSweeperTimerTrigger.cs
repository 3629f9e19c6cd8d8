using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api.Cases;
using OrderFlow.Functions.Durable;
using OrderFlow.Integrations.Cases;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// Every minute, delivers case decisions that were recorded (Decided) but never reached their workflow, so a recorded
/// decision always takes effect (see <see cref="CaseDecisionService.RedeliverAsync"/>), then alerts open cases whose
/// approvers were never alerted (see <see cref="CaseAlertSweep.ResendAsync"/>). A failing decision pass does not stop
/// the alert pass.
/// </summary>
public sealed class CaseDecisionSweeperTimerTrigger(CaseDecisionService decisions, CaseAlertSweep alerts, TimeProvider clock)
{
    /// <summary>NCRONTAB: second 0 of every minute. Fixed, not a setting: the outbox's promise does not depend on tuning.</summary>
    public const string Schedule = "0 * * * * *";

    [Function(nameof(CaseDecisionSweeperTimer))]
    public async Task CaseDecisionSweeperTimer(
        [TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        try
        {
            await decisions.RedeliverAsync(new DurableTaskClientWorkflowClient(client), clock.GetUtcNow(), cancellationToken);
        }
        finally
        {
            await alerts.ResendAsync(cancellationToken);
        }
    }
}
