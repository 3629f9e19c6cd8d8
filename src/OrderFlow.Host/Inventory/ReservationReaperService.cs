using Microsoft.Extensions.Options;
using OrderFlow.Api.Retention;
using OrderFlow.Workflows.Inventory;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Host.Inventory;

/// <summary>
/// Runs the <see cref="ReservationReaper"/> every Inventory:ReaperInterval (a PeriodicTimer: a slow pass delays the next
/// tick instead of overlapping it). A failed pass is logged and the next tick tries again. Each tick also runs the
/// delivery payload retention (<see cref="DeliveryRetention"/>, at most hourly).
/// </summary>
public sealed partial class ReservationReaperService(
    ReservationReaper reaper,
    DeliveryRetention retention,
    IWorkflowClient workflows,
    IOptions<InventoryOptions> options,
    TimeProvider clock,
    ILogger<ReservationReaperService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReaperInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var report = await reaper.RunOnceAsync(workflows, clock.GetUtcNow(), stoppingToken);
                LogPass(logger, report.SkusChecked, report.Expired, report.Released, report.KeptForLiveOrders);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, ex);
            }

            await retention.RunIfDueAsync(clock.GetUtcNow(), stoppingToken);
        }
    }

    [LoggerMessage(LogLevel.Information, "Reservation reaper: {Skus} SKU(s), {Expired} expired hold(s), {Released} released, {Kept} kept for running orders")]
    private static partial void LogPass(ILogger logger, int skus, int expired, int released, int kept);

    [LoggerMessage(LogLevel.Warning, "Reservation reaper pass failed; the next tick tries again")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
