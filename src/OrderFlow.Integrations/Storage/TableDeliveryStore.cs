using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// Inbound deliveries in Azure Tables. Accepted ones live under (source, delivery id), so the id is the dedupe key.
/// Rejected ones live in "{source}-rejected" under "{id}|{inverted ticks}|{guid}", so a refused delivery never
/// blocks a later valid one with the same id, and the newest rejection of an id sorts first. Ids of any length give
/// bounded keys (<see cref="TableKeys.Bounded"/>), so an over-long id is recorded, never a storage error. An order id is
/// claimed with the hash of the content it was first received with, under "order|{order id}" in the partition of the
/// source its id names (<see cref="OrderIds.For"/>; '|' is escaped in every delivery id key), so an order's first
/// delivery is recorded and its id claimed in one entity-group transaction. Claims made before that (and those of an
/// id naming no source) are in partition "~orders" (no source holds '~'), which a claim still consults first.
/// Rejections come from anyone, so they keep only the first <see cref="RejectedPayloadPrefixBytes"/> bytes of the body
/// plus its SHA-256 and size; a conflicting or unmappable delivery (signed, so not anyone's) is kept whole.
/// </summary>
public sealed partial class TableDeliveryStore(OrderFlowTables tables, ILogger<TableDeliveryStore> logger)
    : IDeliveryStore, IEventDeliveryStore, IDeliveryRetentionStore
{
    /// <summary>How much of a rejected body is kept (UTF-8 bytes, cut on a character boundary): enough to see what was sent.</summary>
    public const int RejectedPayloadPrefixBytes = 2048;

    private const string RejectedSuffix = "-rejected";
    private const string MissingId = "(none)";
    private const string LegacyClaimsPartition = "~orders";
    private const string ClaimRowPrefix = "order|";
    private const int MaxReasonChars = 30_000;
    private const string Payload = "Payload";
    private const string OrderJson = "OrderJson";
    private const string PayloadSha256 = "PayloadSha256";
    private const string PayloadBytes = "PayloadBytes";
    private const string PayloadPurged = "PayloadPurged";

    public async Task<bool> TryRecordAcceptedAsync(WebhookDelivery delivery, Order order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentException.ThrowIfNullOrWhiteSpace(delivery.DeliveryId);
        var table = await tables.GetAsync(TableNames.Deliveries, cancellationToken);
        try
        {
            await table.AddEntityAsync(AcceptedOrderEntity(delivery, order), cancellationToken);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            LogDuplicate(delivery.Source, delivery.DeliveryId, order.OrderId);
            return false;
        }

        LogRecorded(delivery.Source, delivery.DeliveryId, delivery.Outcome, order.OrderId);
        return true;
    }

    public async Task<bool> TryRecordNewOrderAsync(WebhookDelivery delivery, Order order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentException.ThrowIfNullOrWhiteSpace(delivery.DeliveryId);
        var (partition, rowKey) = ClaimKey(order.OrderId);
        if (partition != TableKeys.Encode(delivery.Source))
        {
            return false; // the claim lives in another partition: one at a time (nothing built, nothing written)
        }

        var accepted = AcceptedOrderEntity(delivery, order);
        var claim = ClaimEntity(partition, rowKey, order.OrderId, accepted.GetString("ContentHash")!, delivery.DeliveryId);
        var table = await tables.GetAsync(TableNames.Deliveries, cancellationToken);
        try
        {
            await table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, claim), new TableTransactionAction(TableTransactionActionType.Add, accepted)],
                cancellationToken);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            return false; // the order id or the delivery id was taken: nothing written
        }

        LogRecorded(delivery.Source, delivery.DeliveryId, delivery.Outcome, order.OrderId);
        return true;
    }

    public async Task WithdrawNewOrderAsync(WebhookDelivery delivery, Order order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(order);
        var contentHash = delivery.ContentHash ?? OrderContent.Hash(order);
        var accepted = await GetAcceptedAsync(delivery.Source, delivery.DeliveryId, cancellationToken);
        if (accepted is not null && accepted.GetString("ContentHash") == contentHash && accepted.GetString("OrderId") == order.OrderId)
        {
            var table = await tables.GetAsync(TableNames.Deliveries, cancellationToken);
            await DeleteAsReadAsync(table, accepted, cancellationToken);
        }

        await ReleaseOrderClaimAsync(order.OrderId, contentHash, delivery.DeliveryId, cancellationToken);
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
        // A conflicting or unmappable delivery passed its signature check and carries an order that must not be lost: kept whole.
        var stored = delivery.Outcome is DeliveryOutcomes.RejectedConflict or DeliveryOutcomes.RejectedUnmappable ? delivery : WithPayloadPrefix(delivery);
        await table.AddEntityAsync(ToEntity(stored, RejectedPartition(delivery.Source), rowKey, delivery.OrderId), cancellationToken);
        LogRecorded(delivery.Source, id, delivery.Outcome, delivery.OrderId);
    }

    public async Task<DeliveryPurgeResult> PurgePayloadsAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Deliveries, cancellationToken);
        var (cleared, deleted) = (0, 0);
        await foreach (var entity in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"ReceivedAt lt {receivedBefore}"), cancellationToken: cancellationToken))
        {
            try
            {
                if (entity.PartitionKey == RejectedPartition(entity.GetString("Source") ?? string.Empty))
                {
                    await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken);
                    deleted++;
                }
                else if (entity.GetBoolean(PayloadPurged) != true)
                {
                    await table.UpdateEntityAsync(WithoutPayload(entity), entity.ETag, TableUpdateMode.Replace, cancellationToken);
                    cleared++;
                }
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Changed or removed meanwhile: the next pass sees it again if it still needs purging.
            }
        }

        return new DeliveryPurgeResult(cleared, deleted);
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
        var json = accepted is null ? null : ChunkedText.Read(accepted, OrderJson);
        return json is null ? null : JsonSerializer.Deserialize<Order>(json, IntegrationJson.Options);
    }

    public async Task<OrderContentClaim> ClaimOrderAsync(string orderId, string contentHash, string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveryId);
        var table = await tables.GetAsync(TableNames.Deliveries, cancellationToken);
        var (partition, rowKey) = ClaimKey(orderId);
        if (partition != LegacyClaimsPartition
            && await table.GetEntityIfExistsAsync<TableEntity>(LegacyClaimsPartition, TableKeys.Bounded(orderId), cancellationToken: cancellationToken) is { HasValue: true } earlier)
        {
            return ToClaim(orderId, earlier.Value!); // claimed before claims moved beside their deliveries: that claim holds
        }

        try
        {
            await table.AddEntityAsync(ClaimEntity(partition, rowKey, orderId, contentHash, deliveryId), cancellationToken);
            return new OrderContentClaim(orderId, contentHash, deliveryId);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            return ToClaim(orderId, (await table.GetEntityAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken)).Value);
        }
    }

    public async Task ReleaseOrderClaimAsync(string orderId, string contentHash, string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var table = await tables.GetAsync(TableNames.Deliveries, cancellationToken);
        var (partition, rowKey) = ClaimKey(orderId);
        var held = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken);
        if (held.HasValue && held.Value!.GetString("ContentHash") == contentHash && held.Value.GetString("DeliveryId") == Truncate(deliveryId))
        {
            await DeleteAsReadAsync(table, held.Value, cancellationToken);
        }
    }

    /// <summary>
    /// Where <paramref name="orderId"/>'s claim lives: beside the deliveries of the source the id names (so an order's first
    /// delivery and its claim are one transaction), or in "~orders" for an id that names no source.
    /// </summary>
    private static (string Partition, string RowKey) ClaimKey(string orderId)
    {
        var dash = orderId.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && OrderIds.IsValidSource(orderId[..dash])
            ? (TableKeys.Encode(orderId[..dash]), ClaimRowPrefix + TableKeys.Bounded(orderId))
            : (LegacyClaimsPartition, TableKeys.Bounded(orderId));
    }

    private static TableEntity ClaimEntity(string partition, string rowKey, string orderId, string contentHash, string deliveryId) => new(partition, rowKey)
    {
        ["OrderId"] = orderId,
        ["ContentHash"] = contentHash,
        ["DeliveryId"] = Truncate(deliveryId),
    };

    private static OrderContentClaim ToClaim(string orderId, TableEntity held) =>
        new(orderId, held.GetString("ContentHash") ?? string.Empty, held.GetString("DeliveryId") ?? string.Empty);

    /// <summary>Deletes the row only as read: one changed or removed meanwhile (another ETag, or gone) stays as it is.</summary>
    private static async Task DeleteAsReadAsync(TableClient table, TableEntity read, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(read.PartitionKey, read.RowKey, read.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Gone or changed meanwhile: nothing of this delivery's left to give back.
        }
    }

    /// <summary>An accepted order delivery's row: the delivery, its canonical order and the hash of that order's content.</summary>
    private static TableEntity AcceptedOrderEntity(WebhookDelivery delivery, Order order)
    {
        var entity = ToEntity(delivery, TableKeys.Encode(delivery.Source), TableKeys.Bounded(delivery.DeliveryId), delivery.OrderId ?? order.OrderId);
        ChunkedText.Write(entity, OrderJson, JsonSerializer.Serialize(order, IntegrationJson.Options));
        entity["ContentHash"] = delivery.ContentHash ?? OrderContent.Hash(order);
        return entity;
    }

    private async Task<TableEntity?> GetAcceptedAsync(string source, string deliveryId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Deliveries, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Encode(source), TableKeys.Bounded(deliveryId), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private static string RejectedPartition(string source) => TableKeys.Encode(source + RejectedSuffix);

    /// <summary>The delivery with only a bounded prefix of its body, plus the whole body's SHA-256 and size.</summary>
    private static WebhookDelivery WithPayloadPrefix(WebhookDelivery delivery)
    {
        var bytes = Encoding.UTF8.GetBytes(delivery.RawPayload ?? string.Empty);
        var cut = Math.Min(bytes.Length, RejectedPayloadPrefixBytes);
        while (cut > 0 && cut < bytes.Length && (bytes[cut] & 0xC0) == 0x80)
        {
            cut--; // never split a multi-byte character
        }

        return delivery with
        {
            RawPayload = Encoding.UTF8.GetString(bytes, 0, cut),
            PayloadSha256 = Sha256Hex(bytes),
            PayloadBytes = bytes.Length,
        };
    }

    /// <summary>The accepted row without the customer data it captured: the payload (hash and size kept) and the order.</summary>
    private static TableEntity WithoutPayload(TableEntity purged)
    {
        if (purged.GetString(PayloadSha256) is null)
        {
            var bytes = Encoding.UTF8.GetBytes(ChunkedText.Read(purged, Payload) ?? string.Empty);
            purged[PayloadSha256] = Sha256Hex(bytes);
            purged[PayloadBytes] = (long)bytes.Length;
        }

        ChunkedText.Remove(purged, Payload);
        ChunkedText.Remove(purged, OrderJson);
        purged[Payload] = string.Empty;
        purged[PayloadPurged] = true;
        return purged;
    }

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

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
        ChunkedText.Write(entity, Payload, delivery.RawPayload ?? string.Empty);
        if (delivery.PayloadSha256 is not null)
        {
            entity[PayloadSha256] = delivery.PayloadSha256;
            entity[PayloadBytes] = delivery.PayloadBytes;
        }

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
        ChunkedText.Read(e, Payload) ?? string.Empty)
    {
        ContentHash = e.GetString("ContentHash") ?? LegacyContentHash(e),
        PayloadSha256 = e.GetString(PayloadSha256),
        PayloadBytes = e.GetInt64(PayloadBytes),
    };

    // Accepted before hashes were stored: the hash of the stored canonical order (null for non-order deliveries, or
    // once retention purged the order).
    private static string? LegacyContentHash(TableEntity e) =>
        ChunkedText.Read(e, OrderJson) is { Length: > 0 } json && JsonSerializer.Deserialize<Order>(json, IntegrationJson.Options) is { } order
            ? OrderContent.Hash(order)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {Source}/{DeliveryId} recorded as {Outcome} for order {OrderId}")]
    private partial void LogRecorded(string source, string deliveryId, string outcome, string? orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {Source}/{DeliveryId} for order {OrderId} was seen before; duplicate")]
    private partial void LogDuplicate(string source, string deliveryId, string orderId);
}
