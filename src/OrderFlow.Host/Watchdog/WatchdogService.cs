using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Watchdog;

namespace OrderFlow.Host.Watchdog;

/// <summary>
/// Runs the <see cref="WorkflowWatchdog"/> every Watchdog:Interval (a PeriodicTimer: a slow pass delays the next tick
/// instead of overlapping it). A failed pass is logged and the next tick tries again, a timed-out storage call included
/// (the Azure SDK reports it as a cancellation; only the host's own shutdown ends the loop).
/// </summary>
public sealed partial class WatchdogService(
    WorkflowWatchdog watchdog, IWorkflowClient workflows, IOptions<WatchdogOptions> options, TimeProvider clock, ILogger<WatchdogService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var report = await watchdog.RunOnceAsync(workflows, clock.GetUtcNow(), stoppingToken);
                LogPass(logger, report.FailedWorkflows, report.StuckOrders, report.CasesOpened);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Watchdog: {Failed} failed/terminated order workflow(s), {Stuck} stuck order(s), {Opened} case(s) opened")]
    private static partial void LogPass(ILogger logger, int failed, int stuck, int opened);

    [LoggerMessage(LogLevel.Warning, "Watchdog pass failed; the next tick tries again")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
