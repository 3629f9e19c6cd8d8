using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Cases;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Channels;

/// <summary>
/// Keeps each channel's failure streak (runs in a row that left SKUs out of date there) and, once a streak is older than
/// Channels:FailureCaseAfter, opens one ChannelSyncFailed case for it (no workflow waits; Approve acknowledges) and
/// alerts the approvers best effort. The pusher keeps retrying meanwhile; a run that pushes everything ends the streak,
/// and a later failure starts a new one (with a case of its own if it lasts).
/// </summary>
public sealed partial class ChannelSyncFailures(
    TableChannelSyncOutbox outbox, IExceptionQueue cases, IOptions<ChannelsOptions> options, TimeProvider clock, ILogger<ChannelSyncFailures> logger)
{
    private const string WriteBackStreakSuffix = "WriteBack";

    public Task FailedAsync(string channel, int skusLeft, string error, CancellationToken cancellationToken) =>
        StreakAsync(
            channel,
            channel,
            "channel-sync",
            streak => $"Stock levels could not be pushed to {channel} since {streak.FirstFailedAt:u} ({streak.Runs} runs; {skusLeft} SKUs out of date there in the last one). "
                + $"Last error: {error} The pusher keeps retrying; fix the channel's settings or data, then approve to acknowledge.",
            error,
            cancellationToken);

    /// <summary>
    /// A write-back run could not reach <paramref name="channel"/>: the same streak and case rule as stock sync, kept
    /// apart from it (streak "{Channel}WriteBack"), so pushing stock never ends a write-back outage or the other way round.
    /// </summary>
    public Task WriteBackFailedAsync(string channel, int ordersLeft, string error, CancellationToken cancellationToken) =>
        StreakAsync(
            channel + WriteBackStreakSuffix,
            channel,
            "channel-writeback",
            streak => $"Order updates could not be written back to {channel} since {streak.FirstFailedAt:u} ({streak.Runs} runs; {ordersLeft} order updates waiting in the last one). "
                + $"Last error: {error} The pusher keeps retrying; fix the channel's settings, then approve to acknowledge.",
            error,
            cancellationToken);

    public Task WriteBackSucceededAsync(string channel, CancellationToken cancellationToken) => outbox.ClearFailuresAsync(channel + WriteBackStreakSuffix, cancellationToken);

    private async Task StreakAsync(string streakName, string channel, string step, Func<ChannelFailureStreak, string> describe, string error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var streak = await outbox.RecordFailureAsync(streakName, now, error, cancellationToken);
        if (streak.CaseId is not null || now - streak.FirstFailedAt < options.Value.FailureCaseAfter)
        {
            return;
        }

        var caseId = $"channel-sync-{streakName.ToLowerInvariant()}-{streak.FirstFailedAt.UtcDateTime:yyyyMMddHHmmss}";
        await cases.OpenAsync(
            new OpenCaseRequest(
                caseId,
                $"channel-{channel.ToLowerInvariant()}",
                ExceptionReason.ChannelSyncFailed,
                step,
                describe(streak),
                CasePolicy.AllowedResolutions(ExceptionReason.ChannelSyncFailed),
                now + OpenCaseRequest.NoWorkflowDeadline,
                OpenCaseRequest.NoWorkflow),
            cancellationToken);
        await outbox.RecordFailureCaseAsync(streakName, caseId, cancellationToken);
        LogCaseOpened(streakName, caseId, streak.Runs);
        await OpenCaseActivity.AlertBestEffortAsync(cases, $"channel-{channel.ToLowerInvariant()}", caseId, clock, logger, cancellationToken);
    }

    public Task SucceededAsync(string channel, CancellationToken cancellationToken) => outbox.ClearFailuresAsync(channel, cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {Channel}: sync failing for {Runs} runs; case {CaseId} opened")]
    private partial void LogCaseOpened(string channel, string caseId, int runs);
}
