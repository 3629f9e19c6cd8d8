using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Channels;

namespace OrderFlow.Host.Channels;

/// <summary>
/// Pushes dirty SKUs to the sales channels every Channels:SyncInterval (a PeriodicTimer, so a slow pass delays the next
/// tick instead of overlapping it). Registered only when a channel is configured. A failed pass is logged; the rows
/// stay dirty and the next tick tries again.
/// </summary>
public sealed partial class ChannelSyncService(
    ChannelSyncPusher pusher,
    IOptions<ChannelsOptions> options,
    TimeProvider clock,
    ILogger<ChannelSyncService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SyncInterval;
        LogStarted(logger, interval);
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await pusher.RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Information, "Channel sync every {Interval}")]
    private static partial void LogStarted(ILogger logger, TimeSpan interval);

    [LoggerMessage(LogLevel.Warning, "Channel sync pass failed; dirty SKUs wait for the next tick")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
