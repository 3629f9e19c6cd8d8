using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Serialization;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// Inbound deliveries in Azure Tables. Accepted ones live under (source, delivery id), so the id is the dedupe key.
/// Rejected ones live in "{source}-rejected" under "{id}|{inverted ticks}|{guid}", so a refused delivery never
/// blocks a later valid one with the same id, and the newest rejection of an id sorts first. Ids of any length give
/// bounded keys (<see cref="TableKeys.Bounded"/>), so an over-long id is recorded, never a storage error. Order ids are
/// claimed in partition "~orders" (no source holds '~') with the hash of the content they were first received with.
/// </summary>
public sealed partial class TableDeliveryStore(OrderFlowTables tables, ILogger<TableDeliveryStore> logger) : IDeliveryStore, IEventDeliveryStore
{
    private const string RejectedSuffix = "-rejected";
    private const string MissingId = "(none)";
    private const string OrderClaimsPartition = "~orders";
    private const int MaxReasonChars = 30_000;

    public async Task<bool> TryRecordAcceptedAsync(WebhookDelivery delivery, Order order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentException.ThrowIfNullOrWhiteSpace(delivery.DeliveryId);
        var table = await tables.GetAsync(TableNames.Deliveries, cancellationToken);
        var entity = ToEntity(delivery, TableKeys.Encode(delivery.Source), TableKeys.Bounded(delivery.DeliveryId), delivery.OrderId ?? order.OrderId);
        ChunkedText.Write(entity, "OrderJson", JsonSerializer.Serialize(order, IntegrationJson.Options));
        entity["ContentHash"] = delivery.ContentHash ?? OrderContent.Hash(order);

        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            LogDuplicate(delivery.Source, delivery.DeliveryId, order.OrderId);
            return false;
        }

        LogRecorded(delivery.Source, delivery.DeliveryId, delivery.Outcome, order.OrderId);
        return true;
    }

    public async Task<bool> TryRecordAcceptedEventAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentException.ThrowIfNullOrWhiteSpace(delivery.DeliveryId);
        var table = await tables.GetAsync(TableNames.Deliveries, cancellationToken);
        try
        {
            await table.AddEntityAsync(ToEntity(delivery, TableKeys.Encode(delivery.Source), TableKeys.Bounded(delivery.DeliveryId), delivery.OrderId), cancellationToken);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            LogDuplicate(delivery.Source, delivery.DeliveryId, delivery.OrderId ?? "(unknown)");
            return false;
        }

        LogRecorded(delivery.Source, delivery.DeliveryId, delivery.Outcome, delivery.OrderId);
        return true;
    }

    public async Task RecordRejectedAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var table = await tables.GetAsync(TableNames.Deliveries, cancellationToken);
        var id = string.IsNullOrWhiteSpace(delivery.DeliveryId) ? MissingId : delivery.DeliveryId;
        var invertedTicks = DateTimeOffset.MaxValue.UtcTicks - delivery.ReceivedAt.UtcTicks;
        var rowKey = $"{TableKeys.Bounded(id)}{TableKeys.Separator}{invertedTicks:D19}{TableKeys.Separator}{Guid.NewGuid():N}";
        await table.AddEntityAsync(ToEntity(delivery, RejectedPartition(delivery.Source), rowKey, delivery.OrderId), cancellationToken);
        LogRecorded(delivery.Source, id, delivery.Outcome, delivery.OrderId);
    }

    public async Task<WebhookDelivery?> GetAsync(string source, string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveryId);
        var accepted = await GetAcceptedAsync(source, deliveryId, cancellationToken);
        if (accepted is not null)
        {
            return ToDelivery(accepted);
        }

        // Not accepted: the latest rejection of that id, if any (inverted ticks put it first).
        var table = await tables.GetAsync(TableNames.Deliveries, cancellationToken);
        var prefix = TableKeys.Bounded(deliveryId) + TableKeys.Separator;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {RejectedPartition(source)} and RowKey ge {prefix} and RowKey lt {TableKeys.PrefixUpperBound(prefix)}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1, cancellationToken: cancellationToken))
        {
            return ToDelivery(entity);
        }

        return null;
    }

    public async Task<Order?> GetOrderAsync(string source, string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveryId);
        var accepted = await GetAcceptedAsync(source, deliveryId, cancellationToken);
        var json = accepted is null ? null : ChunkedText.Read(accepted, "OrderJson");
        return json is null ? null : JsonSerializer.Deserialize<Order>(json, IntegrationJson.Options);
    }

    public async Task<OrderContentClaim> ClaimOrderAsync(string orderId, string contentHash, string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveryId);
        var table = await tables.GetAsync(TableNames.Deliveries, cancellationToken);
        var rowKey = TableKeys.Bounded(orderId);
        var claim = new TableEntity(OrderClaimsPartition, rowKey)
        {
            ["OrderId"] = orderId,
            ["ContentHash"] = contentHash,
            ["DeliveryId"] = Truncate(deliveryId),
        };
        try
        {
            await table.AddEntityAsync(claim, cancellationToken);
            return new OrderContentClaim(orderId, contentHash, deliveryId);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            var held = (await table.GetEntityAsync<TableEntity>(OrderClaimsPartition, rowKey, cancellationToken: cancellationToken)).Value;
            return new OrderContentClaim(orderId, held.GetString("ContentHash") ?? string.Empty, held.GetString("DeliveryId") ?? string.Empty);
        }
    }

    private async Task<TableEntity?> GetAcceptedAsync(string source, string deliveryId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Deliveries, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Encode(source), TableKeys.Bounded(deliveryId), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private static string RejectedPartition(string source) => TableKeys.Encode(source + RejectedSuffix);

    private static TableEntity ToEntity(WebhookDelivery delivery, string partitionKey, string rowKey, string? orderId)
    {
        var entity = new TableEntity(partitionKey, rowKey)
        {
            ["Source"] = delivery.Source,
            ["DeliveryId"] = Truncate(delivery.DeliveryId),
            ["Topic"] = delivery.Topic,
            ["ReceivedAt"] = delivery.ReceivedAt,
            ["Outcome"] = delivery.Outcome,
            ["Reason"] = delivery.Reason is null ? null : Truncate(delivery.Reason),
            ["OrderId"] = orderId,
        };
        ChunkedText.Write(entity, "Payload", delivery.RawPayload ?? string.Empty);
        return entity;
    }

    private static string Truncate(string value) => value.Length > MaxReasonChars ? value[..MaxReasonChars] : value;

    private static WebhookDelivery ToDelivery(TableEntity e) => new(
        e.GetString("Source") ?? string.Empty,
        e.GetString("DeliveryId") ?? string.Empty,
        e.GetString("Topic") ?? string.Empty,
        e.GetDateTimeOffset("ReceivedAt") ?? DateTimeOffset.MinValue,
        e.GetString("Outcome") ?? string.Empty,
        e.GetString("Reason"),
        e.GetString("OrderId"),
        ChunkedText.Read(e, "Payload") ?? string.Empty)
    {
        ContentHash = e.GetString("ContentHash") ?? LegacyContentHash(e),
    };

    // Accepted before hashes were stored: the hash of the stored canonical order (null for non-order deliveries).
    private static string? LegacyContentHash(TableEntity e) =>
        ChunkedText.Read(e, "OrderJson") is { } json && JsonSerializer.Deserialize<Order>(json, IntegrationJson.Options) is { } order
            ? OrderContent.Hash(order)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {Source}/{DeliveryId} recorded as {Outcome} for order {OrderId}")]
    private partial void LogRecorded(string source, string deliveryId, string outcome, string? orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {Source}/{DeliveryId} for order {OrderId} was seen before; duplicate")]
    private partial void LogDuplicate(string source, string deliveryId, string orderId);
}
