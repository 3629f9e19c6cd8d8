using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Inventory;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Integrations.Channels;

/// <summary>
/// Pushes the latest recorded levels of every dirty SKU to every configured sales channel, in batches, then marks what
/// each channel received. Only the latest levels are kept per SKU, so however many changes a SKU had since the last run,
/// it costs one push. A channel that fails leaves its rows dirty for the next run and never holds up the others.
/// A channel that has not yet received every SKU (one added later) is back-filled: it gets every row of the outbox,
/// clean or dirty, until one run completes without a failure, which the outbox marks for it.
/// A channel that keeps failing opens a ChannelSyncFailed case once its failure streak is older than
/// Channels:FailureCaseAfter (<see cref="ChannelSyncFailures"/>); a failure is never only a log line.
/// With no channel configured this does nothing (the outbox still records). After the stock push, the same run sends
/// the storefront write-backs (<see cref="WriteBackPusher"/>) when one is registered.
/// A SKU split across shard entities (<c>Inventory:SplitSkus</c>) has a row per entity (each records its own levels under
/// its key); a channel gets the SKU once, under its own name, with the levels of all its entities summed (<see cref="WholeSkuStock"/>).
/// </summary>
public sealed partial class ChannelSyncPusher
{
    /// <summary>SKUs per call to a channel.</summary>
    public const int BatchSize = 50;

    private readonly TableChannelSyncOutbox outbox;
    private readonly IReadOnlyList<ISalesChannel> channels;
    private readonly ILogger<ChannelSyncPusher> logger;
    private readonly HashSet<string> backfilled = new(StringComparer.Ordinal);
    private readonly ChannelSyncFailures? failures;
    private readonly WriteBackPusher? writeBack;
    private readonly InventoryOptions? inventory;

    public ChannelSyncPusher(
        TableChannelSyncOutbox outbox,
        IEnumerable<ISalesChannel> channels,
        ILogger<ChannelSyncPusher> logger,
        ChannelSyncFailures? failures = null,
        WriteBackPusher? writeBack = null,
        InventoryOptions? inventory = null)
    {
        ArgumentNullException.ThrowIfNull(channels);
        this.outbox = outbox;
        this.inventory = inventory;
        this.writeBack = writeBack;
        this.failures = failures;
        this.logger = logger;
        this.channels = channels.ToList();
        var invalid = this.channels.FirstOrDefault(c => string.IsNullOrEmpty(c.Name) || !c.Name.All(char.IsAsciiLetterOrDigit));
        if (invalid is not null)
        {
            throw new ArgumentException($"Sales channel name '{invalid.Name}' must be ASCII letters or digits.", nameof(channels));
        }
    }

    public async Task<ChannelSyncRun> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var run = await PushStockAsync(cancellationToken);
        if (writeBack is not null)
        {
            await writeBack.RunOnceAsync(cancellationToken);
        }

        return run;
    }

    private async Task<ChannelSyncRun> PushStockAsync(CancellationToken cancellationToken)
    {
        if (channels.Count == 0)
        {
            return ChannelSyncRun.Idle;
        }

        var pending = new List<ISalesChannel>();
        foreach (var channel in channels)
        {
            if (!IsBackfilled(channel.Name) && !await outbox.IsBackfilledAsync(channel.Name, cancellationToken))
            {
                pending.Add(channel);
            }
            else
            {
                lock (backfilled)
                {
                    backfilled.Add(channel.Name);
                }
            }
        }

        var names = channels.Select(c => c.Name).ToList();
        var rows = (pending.Count > 0 ? await outbox.ReadAllAsync(cancellationToken) : await outbox.ReadDirtyAsync(cancellationToken))
            .Where(r => names.Any(n => r.Version > r.PushedTo(n)))
            .ToList();
        if (rows.Count == 0 && pending.Count == 0)
        {
            return ChannelSyncRun.Idle;
        }

        int pushed = 0, failed = 0;
        foreach (var channel in channels)
        {
            var isPending = pending.Contains(channel);
            var (ok, notOk, error) = await PushChannelAsync(channel, rows.Where(r => r.Version > r.PushedTo(channel.Name)).ToList(), names, cancellationToken);
            pushed += ok;
            failed += notOk;
            if (failures is not null && notOk > 0)
            {
                await failures.FailedAsync(channel.Name, notOk, error!, cancellationToken);
            }
            else if (failures is not null && ok > 0)
            {
                await failures.SucceededAsync(channel.Name, cancellationToken);
            }

            if (isPending && notOk == 0)
            {
                await outbox.MarkBackfilledAsync(channel.Name, cancellationToken);
                lock (backfilled)
                {
                    backfilled.Add(channel.Name);
                }

                LogBackfilled(channel.Name, ok);
            }
        }

        LogRun(rows.Count, pushed, failed);
        return new ChannelSyncRun(rows.Count, pushed, failed);
    }

    private async Task<(int Pushed, int Failed, string? Error)> PushChannelAsync(ISalesChannel channel, List<ChannelSyncRow> dueRows, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        int pushed = 0, failed = 0;
        string? error = null;
        var due = await SkusAsync(dueRows, cancellationToken);
        foreach (var batch in due.Chunk(BatchSize))
        {
            var levels = batch
                .SelectMany(u => u.Levels.Select(l => new ChannelStockLevel(u.Sku, l.Key, l.Value)))
                .ToList();
            try
            {
                await channel.PushAsync(levels, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (SalesChannelRejectedException ex)
            {
                // This batch's data was refused; the next batch may be fine, so carry on with it.
                LogRejected(ex, channel.Name, batch.Length, batch[0].Sku);
                failed += batch.Length;
                error = Workflows.Activities.BestEffortAlert.Describe(ex);
                continue;
            }
            catch (Exception ex)
            {
                // Unreachable or misconfigured: the rest would fail the same way. Everything left stays dirty.
                failed += due.Count - pushed - failed;
                error = Workflows.Activities.BestEffortAlert.Describe(ex);
                LogUnreachable(ex, channel.Name, due.Count - pushed);
                break;
            }

            foreach (var row in batch.SelectMany(u => u.Rows))
            {
                await outbox.MarkPushedAsync(row.Sku, channel.Name, row.Version, names, cancellationToken);
            }

            pushed += batch.Length;
        }

        return (pushed, failed, error);
    }

    /// <summary>
    /// The SKUs the due rows stand for, with the levels a channel gets: a row of its own, or for a split SKU the sum of the
    /// latest levels of all its entities (the due rows and the others' recorded rows), under the SKU's name.
    /// </summary>
    private async Task<List<SkuLevels>> SkusAsync(List<ChannelSyncRow> due, CancellationToken cancellationToken)
    {
        var skus = new List<SkuLevels>(due.Count);
        foreach (var group in due.GroupBy(r => StockShards.SkuOf(r.Sku), StringComparer.Ordinal))
        {
            if (!WholeSkuStock.MayBeSplit(inventory, group.Key))
            {
                skus.AddRange(group.Select(r => new SkuLevels(r.Sku, r.AvailableByLocation, [r])));
                continue;
            }

            var levels = new List<IReadOnlyDictionary<string, int>>();
            foreach (var key in WholeSkuStock.Keys(inventory, group.Key))
            {
                if ((group.FirstOrDefault(r => r.Sku == key) ?? await outbox.GetAsync(key, cancellationToken)) is { } row)
                {
                    levels.Add(row.AvailableByLocation);
                }
            }

            skus.Add(new SkuLevels(group.Key, WholeSkuStock.SumAvailable(levels), [.. group]));
        }

        return skus;
    }

    /// <summary>What a channel gets for one SKU, and the outbox rows (one per entity of a split SKU) that pushing it answers.</summary>
    private sealed record SkuLevels(string Sku, IReadOnlyDictionary<string, int> Levels, IReadOnlyList<ChannelSyncRow> Rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel sync: {Dirty} dirty SKUs, {Pushed} pushes done, {Failed} left for the next run")]
    private partial void LogRun(int dirty, int pushed, int failed);

    private bool IsBackfilled(string channel)
    {
        lock (backfilled)
        {
            return backfilled.Contains(channel);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {Channel} back-filled: it has received every SKU ({Pushed} pushed in this run)")]
    private partial void LogBackfilled(string channel, int pushed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} refused a batch of {Count} SKUs starting at {Sku}; they stay dirty for the next run")]
    private partial void LogRejected(Exception ex, string channel, int count, string sku);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} could not be updated; {Count} SKUs stay dirty for the next run")]
    private partial void LogUnreachable(Exception ex, string channel, int count);
}
