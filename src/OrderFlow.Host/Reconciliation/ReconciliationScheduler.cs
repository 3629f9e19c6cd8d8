using Microsoft.Extensions.Options;
using OrderFlow.Api.Reconciliation;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Host.Reconciliation;

/// <summary>
/// Starts the previous day's reconciliation every day at Reconciliation:DailyAt (UTC). At start-up past that time it
/// starts today's due run at once (a host that was down at the time catches up); the fixed instance id makes every
/// start after the first a no-op.
/// </summary>
public sealed partial class ReconciliationScheduler(
    DailyReconciliation daily,
    IWorkflowClient workflows,
    IOptions<ReconciliationOptions> options,
    TimeProvider clock,
    ILogger<ReconciliationScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        // Today's time, possibly already past: then the due run starts at once (a host that was down catches up).
        var now = clock.GetUtcNow();
        var next = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) + options.Value.DailyAt;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Waiting for the scheduled time (not synchronizing with anything): a timer on the host's clock.
            var wait = next - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, stoppingToken);
            }

            await StartRunAsync(stoppingToken);
            next = next.AddDays(1);
        }
    }

    private async Task StartRunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await daily.StartPreviousDayAsync(workflows, stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The engine or storage is briefly away: the next day's run still comes, and an operator can start this one.
            LogStartFailed(ex, daily.PreviousDay());
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled reconciliation of {Day} could not be started; start it with POST /api/reconciliations")]
    private partial void LogStartFailed(Exception exception, DateOnly day);
}
