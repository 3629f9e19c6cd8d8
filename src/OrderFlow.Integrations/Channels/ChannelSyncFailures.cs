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
    public async Task FailedAsync(string channel, int skusLeft, string error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var streak = await outbox.RecordFailureAsync(channel, now, error, cancellationToken);
        if (streak.CaseId is not null || now - streak.FirstFailedAt < options.Value.FailureCaseAfter)
        {
            return;
        }

        var caseId = $"channel-sync-{channel.ToLowerInvariant()}-{streak.FirstFailedAt.UtcDateTime:yyyyMMddHHmmss}";
        await cases.OpenAsync(
            new OpenCaseRequest(
                caseId,
                $"channel-{channel.ToLowerInvariant()}",
                ExceptionReason.ChannelSyncFailed,
                "channel-sync",
                $"Stock levels could not be pushed to {channel} since {streak.FirstFailedAt:u} ({streak.Runs} runs; {skusLeft} SKUs out of date there in the last one). "
                + $"Last error: {error} The pusher keeps retrying; fix the channel's settings or data, then approve to acknowledge.",
                CasePolicy.AllowedResolutions(ExceptionReason.ChannelSyncFailed),
                now + OpenCaseRequest.NoWorkflowDeadline,
                OpenCaseRequest.NoWorkflow),
            cancellationToken);
        await outbox.RecordFailureCaseAsync(channel, caseId, cancellationToken);
        LogCaseOpened(channel, caseId, streak.Runs);
        await OpenCaseActivity.AlertBestEffortAsync(cases, $"channel-{channel.ToLowerInvariant()}", caseId, clock, logger, cancellationToken);
    }

    public Task SucceededAsync(string channel, CancellationToken cancellationToken) => outbox.ClearFailuresAsync(channel, cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {Channel}: stock sync failing for {Runs} runs; case {CaseId} opened")]
    private partial void LogCaseOpened(string channel, string caseId, int runs);
}
