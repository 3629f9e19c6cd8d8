using Microsoft.Azure.Functions.Worker;
using OrderFlow.Integrations.Channels;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// Pushes dirty SKUs to the configured sales channels on the schedule in the app setting ChannelSyncSchedule (NCRONTAB,
/// e.g. "*/30 * * * * *"). The timer runs on one instance at a time; with no channel configured a run does nothing.
/// </summary>
public sealed class ChannelSyncTimerTrigger(ChannelSyncPusher pusher)
{
    public const string ScheduleSetting = "ChannelSyncSchedule";

    [Function(nameof(ChannelSyncTimer))]
    public async Task ChannelSyncTimer([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        await pusher.RunOnceAsync(cancellationToken);
}
