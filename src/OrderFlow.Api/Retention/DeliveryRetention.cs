using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Retention;

/// <summary>
/// Purges delivery payloads older than Retention:DeliveryPayloadDays, for both hosts (called from the reservation reaper's
/// timer, which fires every few minutes). A pass scans the deliveries table, so it runs at most once per
/// <see cref="PassInterval"/>; a failed pass is logged and retried on the next call, never thrown into the timer.
/// </summary>
public sealed partial class DeliveryRetention(
    IDeliveryRetentionStore store,
    IOptions<RetentionOptions> options,
    ILogger<DeliveryRetention> logger)
{
    /// <summary>The least time between two passes.</summary>
    public static readonly TimeSpan PassInterval = TimeSpan.FromHours(1);

    private int running;
    private DateTimeOffset nextPassAt = DateTimeOffset.MinValue;

    /// <summary>Runs a pass when one is due at <paramref name="now"/>; true when it ran to the end.</summary>
    public async Task<bool> RunIfDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One pass at a time: a timer that fires while a pass still runs skips instead of scanning twice.
        if (Interlocked.CompareExchange(ref running, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            if (now < nextPassAt)
            {
                return false;
            }

            var cutoff = now.AddDays(-options.Value.DeliveryPayloadDays);
            var result = await store.PurgePayloadsAsync(cutoff, cancellationToken);
            nextPassAt = now + PassInterval;
            LogPurged(cutoff, result.PayloadsCleared, result.RejectedDeleted);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPurgeFailed(ex);
            return false;
        }
        finally
        {
            Volatile.Write(ref running, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery retention: payloads received before {Cutoff:O} purged; {Cleared} accepted payload(s) cleared, {Deleted} rejected delivery(ies) deleted")]
    private partial void LogPurged(DateTimeOffset cutoff, int cleared, int deleted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery retention pass failed; the next timer tick tries again")]
    private partial void LogPurgeFailed(Exception exception);
}
