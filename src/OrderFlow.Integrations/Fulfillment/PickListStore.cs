using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Storage;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Fulfillment;

/// <summary>
/// The "PickLists" table behind the pick-and-pack page: partition = location, row = hand-off time (UTC ticks, 19
/// digits) and fulfillment id, so a partition lists oldest first. Written by <see cref="QueueFulfillmentProvider"/> when
/// it hands off a pick list or a cancellation; its status follows the location's answers (whichever way they came).
/// </summary>
public sealed class PickListStore(OrderFlowTables tables) : IPickListStore
{
    private const string Lines = "LinesJson";

    /// <summary>
    /// Records a pick list handed off at <paramref name="at"/>, once per fulfillment: a retried hand-off keeps the first
    /// row (and its place in the list).
    /// </summary>
    public async Task RecordHandoffAsync(PickListMessage pickList, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pickList);
        if (await FindEntityAsync(pickList.Location, pickList.FulfillmentId, cancellationToken) is not null)
        {
            return;
        }

        var table = await tables.GetAsync(TableNames.PickLists, cancellationToken);
        var row = new TableEntity(Partition(pickList.Location), TableKeys.Encode($"{at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}{TableKeys.Separator}{pickList.FulfillmentId}"))
        {
            ["Location"] = pickList.Location,
            ["FulfillmentId"] = pickList.FulfillmentId,
            ["OrderId"] = pickList.OrderId,
            ["TrackingNumber"] = string.IsNullOrWhiteSpace(pickList.TrackingNumber) ? null : pickList.TrackingNumber,
            ["HandedOffAt"] = at,
            ["Status"] = PickListEntry.Open,
        };
        ChunkedText.Write(row, Lines, JsonSerializer.Serialize(pickList.Lines, IntegrationJson.Options));
        try
        {
            await table.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // The same hand-off recorded concurrently at the same tick: the row is there.
        }
    }

    /// <summary>Notes that the location was told to stop the fulfillment (a no-op for a fulfillment without a pick list).</summary>
    public async Task RecordCancelRequestAsync(string location, string fulfillmentId, string reason, CancellationToken cancellationToken = default)
    {
        var entity = await FindEntityAsync(location, fulfillmentId, cancellationToken);
        if (entity is null || entity.GetString("CancelReason") is not null)
        {
            return;
        }

        entity["CancelReason"] = string.IsNullOrWhiteSpace(reason) ? "cancelled" : reason;
        await UpdateAsync(entity, cancellationToken);
    }

    /// <summary>
    /// Moves the pick list to <paramref name="status"/> after the location's answer was applied: "picked" only from
    /// open; a closed pick list keeps its status. Returns false when the fulfillment has no pick list here.
    /// </summary>
    public async Task<bool> RecordStatusAsync(string location, string fulfillmentId, string status, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        for (var attempt = 1; ; attempt++)
        {
            var entity = await FindEntityAsync(location, fulfillmentId, cancellationToken);
            if (entity is null)
            {
                return false;
            }

            var current = entity.GetString("Status");
            var moves = current == PickListEntry.Open || (current == PickListEntry.Picked && status != PickListEntry.Picked);
            if (!moves || current == status)
            {
                return true;
            }

            entity["Status"] = status;
            try
            {
                await UpdateAsync(entity, cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 3)
            {
                // Another answer (or the cancel note) changed the row since it was read: read it again.
            }
        }
    }

    /// <summary>The pick list of one fulfillment at a location, or null.</summary>
    public async Task<PickListEntry?> GetAsync(string location, string fulfillmentId, CancellationToken cancellationToken = default) =>
        await FindEntityAsync(location, fulfillmentId, cancellationToken) is { } entity ? ToEntry(entity) : null;

    /// <summary>
    /// The location's open pick lists (open or picked), oldest first, at most <paramref name="max"/>; HasMore says
    /// whether more are waiting behind them.
    /// </summary>
    public async Task<(IReadOnlyList<PickListEntry> Picks, bool HasMore)> ListOpenAsync(string location, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var table = await tables.GetAsync(TableNames.PickLists, cancellationToken);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition(location)} and (Status eq {PickListEntry.Open} or Status eq {PickListEntry.Picked})");
        var picks = new List<PickListEntry>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: max + 1, cancellationToken: cancellationToken))
        {
            if (picks.Count == max)
            {
                return (picks, true);
            }

            picks.Add(ToEntry(entity));
        }

        return (picks, false);
    }

    private static string Partition(string location) => TableKeys.Encode(location.Trim());

    private async Task<TableEntity?> FindEntityAsync(string location, string fulfillmentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        ArgumentException.ThrowIfNullOrWhiteSpace(fulfillmentId);
        var table = await tables.GetAsync(TableNames.PickLists, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(location)} and FulfillmentId eq {fulfillmentId}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1, cancellationToken: cancellationToken))
        {
            return entity;
        }

        return null;
    }

    /// <summary>Merges under the row's ETag; a concurrent writer makes this fail rather than be overwritten.</summary>
    private async Task UpdateAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.PickLists, cancellationToken);
        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Merge, cancellationToken);
    }

    private static PickListEntry ToEntry(TableEntity e) => new(
        e.GetString("Location") ?? string.Empty,
        e.GetString("FulfillmentId") ?? string.Empty,
        e.GetString("OrderId") ?? string.Empty,
        JsonSerializer.Deserialize<List<FulfillmentLine>>(ChunkedText.Read(e, Lines) ?? "[]", IntegrationJson.Options) ?? [],
        e.GetString("TrackingNumber"),
        e.GetDateTimeOffset("HandedOffAt") ?? DateTimeOffset.MinValue,
        e.GetString("Status") ?? PickListEntry.Open,
        e.GetString("CancelReason"));
}
