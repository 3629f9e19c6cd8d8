using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;
using OrderFlow.Workflows.Watchdog;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// Orders in Azure Tables, one partition per order: the order row ("order": canonical JSON + status), fulfillment
/// rows ("fulfillment|{id}") and timeline rows ("timeline|{ticks}|{guid}", which sort by time). A fulfillment with a
/// tracking number is also indexed under partition "tracking|{number}" (the '|' never occurs in an encoded order id, so
/// index partitions cannot meet order partitions), which is how carrier tracking webhooks find it.
/// </summary>
public sealed partial class TableOrderStore(OrderFlowTables tables, ILogger<TableOrderStore> logger) : IOrderStore, ITrackingLookup
{
    internal const string OrderRowKey = "order";
    internal const string FulfillmentPrefix = "fulfillment|";
    internal const string TimelinePrefix = "timeline|";
    internal const string TrackingPartitionPrefix = "tracking|";
    internal const string TrackingRowKey = "fulfillment";
    private const int MaxConcurrencyAttempts = 20;
    private const int MaxMessageChars = 30_000;

    public async Task<bool> CreateAsync(Order order, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        var table = await tables.GetAsync(TableNames.Orders, cancellationToken);
        var partition = TableKeys.Encode(order.OrderId);
        var row = new TableEntity(partition, OrderRowKey)
        {
            ["OrderId"] = order.OrderId,
            ["OrderNumber"] = order.OrderNumber,
            ["Source"] = order.Source,
            ["Status"] = nameof(OrderStatus.Received),
            ["CreatedAt"] = at,
            ["UpdatedAt"] = at,
        };
        ChunkedText.Write(row, "OrderJson", JsonSerializer.Serialize(order, IntegrationJson.Options));
        var received = TimelineRow(partition, new TimelineEntry(at, "status", $"{OrderStatus.Received}: order {order.OrderNumber} recorded."));

        try
        {
            // Order row and its first timeline line land together or not at all.
            await table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, row), new TableTransactionAction(TableTransactionActionType.Add, received)],
                cancellationToken);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            LogAlreadyRecorded(order.OrderId);
            return false;
        }

        LogCreated(order.OrderId);
        return true;
    }

    public async Task<OrderRecord?> GetAsync(string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var table = await tables.GetAsync(TableNames.Orders, cancellationToken);
        var partition = TableKeys.Encode(orderId);

        TableEntity? orderRow = null;
        var fulfillments = new List<TableEntity>();
        var timeline = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken))
        {
            if (entity.RowKey == OrderRowKey)
            {
                orderRow = entity;
            }
            else if (entity.RowKey.StartsWith(FulfillmentPrefix, StringComparison.Ordinal))
            {
                fulfillments.Add(entity);
            }
            else if (entity.RowKey.StartsWith(TimelinePrefix, StringComparison.Ordinal))
            {
                timeline.Add(entity);
            }
        }

        if (orderRow is null)
        {
            return null;
        }

        var order = JsonSerializer.Deserialize<Order>(ChunkedText.Read(orderRow, "OrderJson") ?? "null", IntegrationJson.Options)
            ?? throw new InvalidDataException($"Order {orderId} has no stored order data.");

        return new OrderRecord(
            order,
            ParseStatus(orderRow),
            fulfillments.Select(ToFulfillment).OrderBy(f => f.FulfillmentId.Length).ThenBy(f => f.FulfillmentId, StringComparer.Ordinal).ToList(),
            timeline.OrderBy(t => t.RowKey, StringComparer.Ordinal).Select(ToTimelineEntry).ToList());
    }

    public async Task TransitionAsync(string orderId, OrderStatus to, string note, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var table = await tables.GetAsync(TableNames.Orders, cancellationToken);
        var partition = TableKeys.Encode(orderId);

        for (var attempt = 1; ; attempt++)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, OrderRowKey, cancellationToken: cancellationToken);
            if (!current.HasValue || current.Value is null)
            {
                throw new InvalidOperationException($"Order {orderId} is not recorded.");
            }

            var row = current.Value;
            var from = ParseStatus(row);
            if (from == to)
            {
                // A retried activity lands here: nothing to change, nothing to add to the timeline.
                return;
            }

            OrderStatusMachine.Transition(from, to);

            var update = new TableEntity(partition, OrderRowKey)
            {
                ["Status"] = to.ToString(),
                ["UpdatedAt"] = at,
                ETag = row.ETag,
            };
            var message = string.IsNullOrWhiteSpace(note) ? $"{from} -> {to}" : $"{from} -> {to}: {note}";
            try
            {
                await table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateMerge, update, row.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, TimelineRow(partition, new TimelineEntry(at, "status", message))),
                    ],
                    cancellationToken);
                LogTransitioned(orderId, from, to);
                return;
            }
            catch (RequestFailedException ex) when (StorageErrors.IsPreconditionFailed(ex) && attempt < MaxConcurrencyAttempts)
            {
                // Someone else changed the order between our read and write: re-read and decide again.
                LogConcurrencyRetry(orderId, to, attempt);
            }
        }
    }

    public Task UpdateShippingAddressAsync(string orderId, Address address, string correctedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        return ReplaceOrderAsync(
            orderId,
            order => order.ShippingAddress == address ? null : order with { ShippingAddress = address },
            new TimelineEntry(at, "address", $"Shipping address corrected by {correctedBy}."),
            cancellationToken);
    }

    public Task UpdateChannelPaymentAsync(string orderId, ChannelPayment payment, string note, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return ReplaceOrderAsync(
            orderId,
            order => order.Payment == payment ? null : order with { Payment = payment },
            new TimelineEntry(at, "payment", note),
            cancellationToken);
    }

    /// <summary>
    /// Rewrites the stored order with <paramref name="change"/> (null: nothing to change, so a retried step adds no
    /// timeline entry) and adds <paramref name="note"/> in the same transaction, re-reading on a concurrent change.
    /// </summary>
    private async Task ReplaceOrderAsync(string orderId, Func<Order, Order?> change, TimelineEntry note, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var table = await tables.GetAsync(TableNames.Orders, cancellationToken);
        var partition = TableKeys.Encode(orderId);

        for (var attempt = 1; ; attempt++)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, OrderRowKey, cancellationToken: cancellationToken);
            if (!current.HasValue || current.Value is null)
            {
                throw new InvalidOperationException($"Order {orderId} is not recorded.");
            }

            var row = current.Value;
            var order = JsonSerializer.Deserialize<Order>(ChunkedText.Read(row, "OrderJson") ?? "null", IntegrationJson.Options)
                ?? throw new InvalidDataException($"Order {orderId} has no stored order data.");
            if (change(order) is not { } changed)
            {
                return;
            }

            // Replace (not merge) the whole row: the order JSON may switch between inline and chunked form, and stale
            // properties of the old form must not survive. Every other property is copied as read.
            var update = new TableEntity(partition, OrderRowKey) { ETag = row.ETag };
            foreach (var (key, value) in row)
            {
                if (!key.StartsWith("OrderJson", StringComparison.Ordinal) && key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
                {
                    update[key] = value;
                }
            }

            update["UpdatedAt"] = note.At;
            ChunkedText.Write(update, "OrderJson", JsonSerializer.Serialize(changed, IntegrationJson.Options));
            try
            {
                // The ETag makes a concurrent change (a status transition) win and this re-read.
                await table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, update, row.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, TimelineRow(partition, note)),
                    ],
                    cancellationToken);
                LogOrderChanged(orderId, note.Kind);
                return;
            }
            catch (RequestFailedException ex) when (StorageErrors.IsPreconditionFailed(ex) && attempt < MaxConcurrencyAttempts)
            {
                LogOrderConcurrencyRetry(orderId, note.Kind, attempt);
            }
        }
    }

    public async Task AppendTimelineAsync(string orderId, TimelineEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentNullException.ThrowIfNull(entry);
        var table = await tables.GetAsync(TableNames.Orders, cancellationToken);
        await table.AddEntityAsync(TimelineRow(TableKeys.Encode(orderId), entry), cancellationToken);
    }

    public async Task UpsertFulfillmentAsync(string orderId, FulfillmentRecord fulfillment, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentNullException.ThrowIfNull(fulfillment);
        var table = await tables.GetAsync(TableNames.Orders, cancellationToken);
        var entity = new TableEntity(TableKeys.Encode(orderId), FulfillmentPrefix + TableKeys.Encode(fulfillment.FulfillmentId))
        {
            ["FulfillmentId"] = fulfillment.FulfillmentId,
            ["Location"] = fulfillment.Location,
            ["Status"] = fulfillment.Status,
            ["Carrier"] = fulfillment.Carrier,
            ["TrackingNumber"] = fulfillment.TrackingNumber,
            ["TrackingUrl"] = fulfillment.TrackingUrl,
            ["LabelUrl"] = fulfillment.LabelUrl,
            ["LinesJson"] = JsonSerializer.Serialize(fulfillment.Lines, IntegrationJson.Options),
            ["HoldReason"] = fulfillment.HoldReason,
        };
        if (!RestartPlan.Final.Contains(fulfillment.Status) && !CarrierStatuses.Contains(fulfillment.Status))
        {
            // An activity can run again after its result was taken (its host died first): a late "awaiting-confirmation"
            // or "on-hold" never moves a parcel back once it shipped, was delivered, cancelled or rerouted.
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, select: ["Status"], cancellationToken: cancellationToken);
            if (existing.HasValue && existing.Value?.GetString("Status") is { } current && (RestartPlan.Final.Contains(current) || CarrierStatuses.Contains(current)))
            {
                LogStaleFulfillmentWrite(orderId, fulfillment.FulfillmentId, fulfillment.Status, current);
                return;
            }
        }
        else if (fulfillment.Status == FulfillmentConfirmation.Shipped)
        {
            // A carrier scan can arrive before the location's confirmation is recorded: in transit stays in transit.
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, select: ["Status"], cancellationToken: cancellationToken);
            if (existing.HasValue && existing.Value?.GetString("Status") is { } current && CarrierStatuses.Contains(current))
            {
                entity["Status"] = current;
            }
        }

        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        if (!string.IsNullOrWhiteSpace(fulfillment.TrackingNumber))
        {
            // Written on every upsert (idempotent), so a fulfillment stored before the index existed gets indexed too.
            await table.UpsertEntityAsync(
                new TableEntity(TrackingPartition(fulfillment.TrackingNumber), TrackingRowKey)
                {
                    ["TrackingNumber"] = fulfillment.TrackingNumber,
                    ["OrderId"] = orderId,
                    ["FulfillmentId"] = fulfillment.FulfillmentId,
                    ["Carrier"] = fulfillment.Carrier,
                },
                TableUpdateMode.Replace,
                cancellationToken);
        }

        LogFulfillmentUpserted(orderId, fulfillment.FulfillmentId, fulfillment.Status);
    }

    public async Task<TrackedFulfillment?> FindByTrackingAsync(string trackingNumber, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trackingNumber);
        var table = await tables.GetAsync(TableNames.Orders, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TrackingPartition(trackingNumber), TrackingRowKey, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e && e.GetString("OrderId") is { } orderId && e.GetString("FulfillmentId") is { } fulfillmentId
            ? new TrackedFulfillment(orderId, fulfillmentId)
            : null;
    }

    private static string TrackingPartition(string trackingNumber) => TrackingPartitionPrefix + TableKeys.Encode(trackingNumber.Trim());

    public async Task<IReadOnlyList<string>> ListOrdersAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var table = await tables.GetAsync(TableNames.Orders, cancellationToken);

        // A scan over the order rows only (one per partition); UpdatedAt moves with every status change.
        var filter = TableClient.CreateQueryFilter($"RowKey eq {OrderRowKey} and UpdatedAt ge {from} and UpdatedAt lt {to}");
        var ids = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["OrderId"], cancellationToken: cancellationToken))
        {
            ids.Add(entity.GetString("OrderId") ?? TableKeys.Decode(entity.PartitionKey));
            if (ids.Count >= limit)
            {
                break;
            }
        }

        return ids;
    }

    public async Task<IReadOnlyList<OrderInStatus>> ListOrdersInStatusAsync(
        OrderStatus status, DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var table = await tables.GetAsync(TableNames.Orders, cancellationToken);

        // A scan over the order rows only, like ListOrdersAsync; the status filter keeps the answer small.
        var filter = TableClient.CreateQueryFilter($"RowKey eq {OrderRowKey} and Status eq {status.ToString()} and UpdatedAt lt {updatedBefore}");
        var found = new List<OrderInStatus>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["OrderId", "UpdatedAt"], cancellationToken: cancellationToken))
        {
            found.Add(new OrderInStatus(
                entity.GetString("OrderId") ?? TableKeys.Decode(entity.PartitionKey), status, entity.GetDateTimeOffset("UpdatedAt") ?? updatedBefore));
            if (found.Count >= limit)
            {
                break;
            }
        }

        return found;
    }

    private static TableEntity TimelineRow(string partition, TimelineEntry entry) =>
        new(partition, $"{TimelinePrefix}{entry.At.UtcTicks:D19}{TableKeys.Separator}{Guid.NewGuid():N}")
        {
            ["At"] = entry.At,
            ["Kind"] = entry.Kind,
            ["Message"] = entry.Message.Length > MaxMessageChars ? entry.Message[..MaxMessageChars] : entry.Message,
        };

    private static OrderStatus ParseStatus(TableEntity row) =>
        Enum.TryParse<OrderStatus>(row.GetString("Status"), ignoreCase: false, out var status)
            ? status
            : throw new InvalidDataException($"Order row {row.PartitionKey} has unknown status '{row.GetString("Status")}'.");

    private static FulfillmentRecord ToFulfillment(TableEntity e) => new(
        e.GetString("FulfillmentId"),
        e.GetString("Location"),
        JsonSerializer.Deserialize<List<FulfillmentLine>>(e.GetString("LinesJson") ?? "[]", IntegrationJson.Options) ?? [],
        e.GetString("Status"),
        e.GetString("Carrier"),
        e.GetString("TrackingNumber"),
        e.GetString("TrackingUrl"),
        e.GetString("LabelUrl"),
        e.GetString("HoldReason"));

    private static TimelineEntry ToTimelineEntry(TableEntity e) => new(e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetString("Kind") ?? string.Empty, e.GetString("Message") ?? string.Empty);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: fulfillment {FulfillmentId} stays {Current}; a late {Stale} write (an activity run again) was ignored")]
    private partial void LogStaleFulfillmentWrite(string orderId, string fulfillmentId, string stale, string current);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} recorded")]
    private partial void LogCreated(string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} was already recorded; create is a no-op")]
    private partial void LogAlreadyRecorded(string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} moved from {From} to {To}")]
    private partial void LogTransitioned(string orderId, OrderStatus from, OrderStatus to);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId} changed concurrently while moving to {To}; retry {Attempt}")]
    private partial void LogConcurrencyRetry(string orderId, OrderStatus to, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: stored order changed ({Kind})")]
    private partial void LogOrderChanged(string orderId, string kind);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId} changed concurrently during a {Kind} change; retry {Attempt}")]
    private partial void LogOrderConcurrencyRetry(string orderId, string kind, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} fulfillment {FulfillmentId} is {Status}")]
    private partial void LogFulfillmentUpserted(string orderId, string fulfillmentId, string status);
}
