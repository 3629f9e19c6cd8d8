using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Cases;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Channels;

/// <summary>
/// Sends the pending rows of the write-back outbox to the storefronts the orders came from (after the stock push, on the
/// same schedule), oldest first per order, and marks each done. A write the storefront refuses (userErrors, a 4xx other
/// than 408 / 429, an order it does not know) opens a ChannelSyncFailed case naming the order (step "writeback-{op}") and
/// stops that row; an outage (5xx, timeout, network) leaves the row pending with a growing backoff, stops the channel for
/// this run, and feeds the channel's write-back failure streak, which opens a case once it lasts Channels:FailureCaseAfter.
/// A failure is never only a log line. Rows of a channel that is off (or has WriteBack off) wait.
/// </summary>
public sealed partial class WriteBackPusher(
    TableWriteBackOutbox outbox,
    IOrderStore orders,
    IEnumerable<IStorefrontWriter> writers,
    ChannelSyncFailures failures,
    IExceptionQueue cases,
    TimeProvider clock,
    ILogger<WriteBackPusher> logger)
{
    /// <summary>Longest wait between two tries of a row the storefront could not take.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    private readonly IReadOnlyList<IStorefrontWriter> writers = writers.ToList();

    /// <summary>Pushes what is due; returns the rows written and the rows left pending or refused.</summary>
    public async Task<(int Written, int Failed)> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var active = writers.Where(w => w.Enabled).ToList();
        if (active.Count == 0)
        {
            return (0, 0);
        }

        var pending = await outbox.ReadPendingAsync(cancellationToken);
        int written = 0, failed = 0;
        foreach (var writer in active)
        {
            var rows = pending.Where(r => r.Channel == writer.Channel).OrderBy(r => r.OrderId, StringComparer.Ordinal).ThenBy(r => r.Sequence).ToList();
            if (rows.Count == 0)
            {
                continue;
            }

            var (ok, notOk, outage) = await PushChannelAsync(writer, rows, cancellationToken);
            written += ok;
            failed += notOk;
            if (outage is not null)
            {
                await failures.WriteBackFailedAsync(writer.Channel, rows.Count - ok, outage, cancellationToken);
            }
            else if (ok > 0)
            {
                await failures.WriteBackSucceededAsync(writer.Channel, cancellationToken);
            }
        }

        if (written + failed > 0)
        {
            LogRun(written, failed);
        }

        return (written, failed);
    }

    private async Task<(int Written, int Failed, string? Outage)> PushChannelAsync(IStorefrontWriter writer, List<WriteBackRow> rows, CancellationToken cancellationToken)
    {
        int written = 0, failed = 0;
        var now = clock.GetUtcNow();

        // An order's writes go in the order they were recorded: a later one waits while an earlier one backs off.
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (waiting.Contains(row.OrderId) || row.NextAttemptAt > now)
            {
                waiting.Add(row.OrderId);
                continue;
            }

            try
            {
                var record = await orders.GetAsync(row.OrderId, cancellationToken)
                    ?? throw new SalesChannelRejectedException($"Order {row.OrderId} is not recorded in OrderFlow.");
                var fulfillment = row.FulfillmentId is null ? null : record.Fulfillments.FirstOrDefault(f => f.FulfillmentId == row.FulfillmentId)
                    ?? throw new SalesChannelRejectedException($"Order {row.OrderId} has no fulfillment {row.FulfillmentId}.");
                await writer.WriteAsync(new WriteBackRequest(row.Op, MarkerKey(row), record, fulfillment, row.Amount), cancellationToken);
                await outbox.MarkDoneAsync(row, clock.GetUtcNow(), cancellationToken);
                written++;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (SalesChannelRejectedException.IsRefusal(ex))
            {
                failed++;
                await RefusedAsync(writer.Channel, row, BestEffortAlert.Describe(ex), cancellationToken);
            }
            catch (Exception ex)
            {
                // Unreachable or misconfigured: the rest would fail the same way this run. The row waits, longer each time.
                failed++;
                var error = BestEffortAlert.Describe(ex);
                await outbox.MarkRetryAsync(row, error, clock.GetUtcNow() + Backoff(row.Attempts + 1), cancellationToken);
                LogUnreachable(ex, writer.Channel, row.OrderId, row.Op);
                return (written, failed, error);
            }
        }

        return (written, failed, null);
    }

    private async Task RefusedAsync(string channel, WriteBackRow row, string error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var step = WriteBackOps.StepPrefix + row.Op;
        var caseId = row.FulfillmentId is null ? $"writeback-{row.Op}-{row.OrderId}" : $"writeback-{row.Op}-{row.OrderId}-{row.FulfillmentId}";
        var what = row.FulfillmentId is null ? row.Op : $"{row.Op} {row.FulfillmentId}";
        await cases.OpenAsync(
            new OpenCaseRequest(
                caseId,
                row.OrderId,
                ExceptionReason.ChannelSyncFailed,
                step,
                $"{channel} refused the write-back of this order's {what}: {error} OrderFlow does not retry it; make the change in {channel}'s admin "
                + "(or fix the cause), then approve to acknowledge.",
                CasePolicy.AllowedResolutions(ExceptionReason.ChannelSyncFailed),
                now + OpenCaseRequest.NoWorkflowDeadline,
                OpenCaseRequest.NoWorkflow),
            cancellationToken);
        await outbox.MarkRefusedAsync(row, error, caseId, cancellationToken);
        LogRefused(channel, row.OrderId, row.Op, caseId);
        await OpenCaseActivity.AlertBestEffortAsync(cases, row.OrderId, caseId, clock, logger, cancellationToken);
    }

    /// <summary>The key the storefront marker carries: the op, plus the fulfillment id (decoded) for a parcel or the refund key for a refund.</summary>
    private static string MarkerKey(WriteBackRow row) =>
        row.FulfillmentId is not null ? $"{row.Op}|{row.FulfillmentId}" : row.RefundKey is not null ? $"{row.Op}|{row.RefundKey}" : row.Op;

    /// <summary>1, 2, 4 ... minutes after the first, second, third failure, at most <see cref="MaxBackoff"/>.</summary>
    internal static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromMinutes(Math.Min(Math.Pow(2, Math.Max(attempts - 1, 0)), MaxBackoff.TotalMinutes));

    [LoggerMessage(Level = LogLevel.Information, Message = "Write-back: {Written} order updates written, {Failed} failed or refused")]
    private partial void LogRun(int written, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} refused the {Op} write-back of order {OrderId}; case {CaseId} opened")]
    private partial void LogRefused(string channel, string orderId, string op, string caseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} could not take the {Op} write-back of order {OrderId}; it waits for a later run")]
    private partial void LogUnreachable(Exception ex, string channel, string orderId, string op);
}
