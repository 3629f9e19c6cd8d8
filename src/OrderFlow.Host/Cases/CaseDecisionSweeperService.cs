using OrderFlow.Api.Cases;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Host.Cases;

/// <summary>
/// Every minute, delivers case decisions that were recorded (Decided) but never reached their workflow
/// (<see cref="CaseDecisionService.RedeliverAsync"/>). A PeriodicTimer: a slow pass delays the next tick instead of
/// overlapping it; a failed pass is logged and the next tick tries again.
/// </summary>
public sealed partial class CaseDecisionSweeperService(
    CaseDecisionService decisions,
    IWorkflowClient workflows,
    TimeProvider clock,
    ILogger<CaseDecisionSweeperService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await decisions.RedeliverAsync(workflows, clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPassFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Case decision sweeper pass failed; the next tick tries again")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
