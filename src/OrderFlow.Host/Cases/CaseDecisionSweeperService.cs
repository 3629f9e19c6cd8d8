using Microsoft.Extensions.Options;
using OrderFlow.Api.Cases;
using OrderFlow.Integrations.Cases;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Host.Cases;

/// <summary>
/// Every Cases:SweepInterval (a minute by default), delivers case decisions that were recorded (Decided) but never
/// reached their workflow (<see cref="CaseDecisionService.RedeliverAsync"/>), then alerts open cases whose approvers
/// were never alerted (<see cref="CaseAlertSweep.ResendAsync"/>). A PeriodicTimer: a slow pass delays the next tick
/// instead of overlapping it; a failed pass is logged and the next tick tries again.
/// </summary>
public sealed partial class CaseDecisionSweeperService(
    CaseDecisionService decisions,
    CaseAlertSweep alerts,
    IWorkflowClient workflows,
    IOptions<CasesOptions> options,
    TimeProvider clock,
    ILogger<CaseDecisionSweeperService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await decisions.RedeliverAsync(workflows, clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, "decision", ex);
            }

            try
            {
                await alerts.ResendAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, "alert", ex);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Case {Pass} sweeper pass failed; the next tick tries again")]
    private static partial void LogPassFailed(ILogger logger, string pass, Exception ex);
}
