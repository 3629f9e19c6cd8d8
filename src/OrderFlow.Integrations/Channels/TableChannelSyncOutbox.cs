using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using OrderFlow.Integrations.Storage;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Channels;

/// <summary>
/// The channel-sync outbox in the "ChannelSync" table: one row per SKU (partition = encoded SKU) holding the latest
/// available-by-location JSON, its version, a Dirty flag while some channel is behind, and one "Pushed{Channel}" column
/// per channel. Writes are conditional on the row's ETag, so a newer version is never overwritten by an older one and
/// a push never clears a change recorded while it ran.
/// </summary>
public sealed class TableChannelSyncOutbox(OrderFlowTables tables) : IChannelSyncOutbox
{
    internal const string RowKey = "levels";
    internal const string PushedPrefix = "Pushed";

    // One marker per channel that has received every SKU once; its row key never equals a SKU row's "levels".
    internal const string ChannelsPartition = "channels";
    internal const string BackfilledPrefix = "Backfilled-";
    internal const string FailingPrefix = "Failing-";

    // Each retry follows a concurrent write that either lost to ours or recorded a newer version: contention settles fast.
    private const int MaxAttempts = 20;

    public async Task RecordAsync(string sku, IReadOnlyDictionary<string, int> availableByLocation, long version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        ArgumentNullException.ThrowIfNull(availableByLocation);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);

        var table = await tables.GetAsync(TableNames.ChannelSync, cancellationToken);
        var partition = TableKeys.Encode(sku);
        var levels = JsonSerializer.Serialize(availableByLocation, IntegrationJson.Options);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, RowKey, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue || existing.Value is null)
                {
                    await table.AddEntityAsync(
                        new TableEntity(partition, RowKey) { ["Sku"] = sku, ["Levels"] = levels, ["Version"] = version, ["Dirty"] = true },
                        cancellationToken);
                    return;
                }

                if ((existing.Value.GetInt64("Version") ?? 0) >= version)
                {
                    return;
                }

                await table.UpdateEntityAsync(
                    new TableEntity(partition, RowKey) { ["Levels"] = levels, ["Version"] = version, ["Dirty"] = true },
                    existing.Value.ETag,
                    TableUpdateMode.Merge,
                    cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex) || StorageErrors.IsPreconditionFailed(ex))
            {
                // Someone wrote the row between our read and our write: read it again and compare versions.
            }
        }

        throw new InvalidOperationException($"Could not record channel levels of SKU '{sku}' version {version} after {MaxAttempts} concurrent attempts.");
    }

    /// <summary>The rows some channel has not received yet.</summary>
    public async Task<IReadOnlyList<ChannelSyncRow>> ReadDirtyAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.ChannelSync, cancellationToken);
        var rows = new List<ChannelSyncRow>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter: "Dirty eq true", cancellationToken: cancellationToken))
        {
            rows.Add(ToRow(entity));
        }

        return rows;
    }

    /// <summary>Every SKU row, clean or dirty: what a channel added later must receive once (its back-fill).</summary>
    public async Task<IReadOnlyList<ChannelSyncRow>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.ChannelSync, cancellationToken);
        var rows = new List<ChannelSyncRow>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter: $"RowKey eq '{RowKey}'", cancellationToken: cancellationToken))
        {
            rows.Add(ToRow(entity));
        }

        return rows;
    }

    /// <summary>True once <see cref="MarkBackfilledAsync"/> recorded that <paramref name="channel"/> received every SKU.</summary>
    public async Task<bool> IsBackfilledAsync(string channel, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        var table = await tables.GetAsync(TableNames.ChannelSync, cancellationToken);
        var marker = await table.GetEntityIfExistsAsync<TableEntity>(ChannelsPartition, BackfilledPrefix + channel, cancellationToken: cancellationToken);
        return marker.HasValue;
    }

    /// <summary>Records that <paramref name="channel"/> has received every SKU recorded so far; later changes reach it as dirty rows.</summary>
    public async Task MarkBackfilledAsync(string channel, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        var table = await tables.GetAsync(TableNames.ChannelSync, cancellationToken);
        await table.UpsertEntityAsync(
            new TableEntity(ChannelsPartition, BackfilledPrefix + channel) { ["Channel"] = channel },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    /// <summary>
    /// Records that a run could not push everything to <paramref name="channel"/>: the streak's first failure time is kept
    /// (and the case opened for it, if any), the run count and last error are updated. Returns the streak.
    /// </summary>
    public async Task<ChannelFailureStreak> RecordFailureAsync(string channel, DateTimeOffset at, string error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        var table = await tables.GetAsync(TableNames.ChannelSync, cancellationToken);
        var current = await table.GetEntityIfExistsAsync<TableEntity>(ChannelsPartition, FailingPrefix + channel, cancellationToken: cancellationToken);
        var streak = current.HasValue && current.Value is { } row
            ? new ChannelFailureStreak(row.GetDateTimeOffset("FirstFailedAt") ?? at, (row.GetInt32("Runs") ?? 0) + 1, error, row.GetString("CaseId") is { Length: > 0 } c ? c : null)
            : new ChannelFailureStreak(at, 1, error, null);
        await table.UpsertEntityAsync(
            new TableEntity(ChannelsPartition, FailingPrefix + channel)
            {
                ["Channel"] = channel,
                ["FirstFailedAt"] = streak.FirstFailedAt,
                ["Runs"] = streak.Runs,
                ["LastError"] = error,
                ["CaseId"] = streak.CaseId ?? string.Empty,
            },
            TableUpdateMode.Replace,
            cancellationToken);
        return streak;
    }

    /// <summary>Notes on the failure streak of <paramref name="channel"/> the case opened for it (one case per streak).</summary>
    public async Task RecordFailureCaseAsync(string channel, string caseId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.ChannelSync, cancellationToken);
        await table.UpdateEntityAsync(new TableEntity(ChannelsPartition, FailingPrefix + channel) { ["CaseId"] = caseId }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>A run pushed everything to <paramref name="channel"/>: its failure streak (if any) ends.</summary>
    public async Task ClearFailuresAsync(string channel, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.ChannelSync, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(ChannelsPartition, FailingPrefix + channel, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsNotFound(ex))
        {
        }
    }

    /// <summary>The row of <paramref name="sku"/>, or null when nothing was recorded for it.</summary>
    public async Task<ChannelSyncRow?> GetAsync(string sku, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        var table = await tables.GetAsync(TableNames.ChannelSync, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Encode(sku), RowKey, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is not null ? ToRow(response.Value) : null;
    }

    /// <summary>
    /// Records that <paramref name="channel"/> received <paramref name="sku"/> at <paramref name="pushedVersion"/>. The
    /// row stays dirty while any of <paramref name="channels"/> is behind its current version, which includes a newer
    /// version recorded while the push ran (the ETag makes that re-read happen).
    /// </summary>
    public async Task MarkPushedAsync(string sku, string channel, long pushedVersion, IReadOnlyCollection<string> channels, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(channels);

        var table = await tables.GetAsync(TableNames.ChannelSync, cancellationToken);
        var partition = TableKeys.Encode(sku);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, RowKey, cancellationToken: cancellationToken);
            if (!response.HasValue || response.Value is null)
            {
                return;
            }

            var current = ToRow(response.Value);
            var pushed = Math.Max(current.PushedTo(channel), pushedVersion);
            var dirty = channels.Any(c => (string.Equals(c, channel, StringComparison.Ordinal) ? pushed : current.PushedTo(c)) < current.Version);
            try
            {
                await table.UpdateEntityAsync(
                    new TableEntity(partition, RowKey) { [PushedPrefix + channel] = pushed, ["Dirty"] = dirty },
                    response.Value.ETag,
                    TableUpdateMode.Merge,
                    cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (StorageErrors.IsPreconditionFailed(ex))
            {
                // A newer version was recorded meanwhile: read it again so the row stays dirty for it.
            }
        }

        throw new InvalidOperationException($"Could not mark SKU '{sku}' as pushed to {channel} after {MaxAttempts} concurrent attempts.");
    }

    private static ChannelSyncRow ToRow(TableEntity entity)
    {
        var levels = JsonSerializer.Deserialize<Dictionary<string, int>>(entity.GetString("Levels") ?? "{}", IntegrationJson.Options) ?? [];
        var pushed = entity.Keys
            .Where(k => k.Length > PushedPrefix.Length && k.StartsWith(PushedPrefix, StringComparison.Ordinal))
            .ToDictionary(k => k[PushedPrefix.Length..], k => entity.GetInt64(k) ?? 0, StringComparer.Ordinal);
        return new ChannelSyncRow(
            entity.GetString("Sku") ?? TableKeys.Decode(entity.PartitionKey),
            levels,
            entity.GetInt64("Version") ?? 0,
            pushed);
    }
}
