using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Storage;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Fulfillment;

/// <summary>
/// Hands a fulfillment to its location by putting a <see cref="PickListMessage"/> on the location's Azure Storage
/// queue ("{prefix}picklists-{location}"). The message id is recorded per idempotency key in the Dispatches table,
/// so a retried dispatch returns the first message id instead of queueing a second pick list. A cancellation goes the
/// same way as a <see cref="FulfillmentCancelMessage"/> (kind "cancel"). Both are noted in the <see cref="PickListStore"/>
/// the pick-and-pack page reads.
/// </summary>
public sealed partial class QueueFulfillmentProvider(
    QueueServiceClient queues,
    OrderFlowTables tables,
    PickListStore picks,
    IOptions<StorageOptions> storage,
    TimeProvider clock,
    ILogger<QueueFulfillmentProvider> logger) : IFulfillmentProvider, IFulfillmentCanceller
{
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> created = new(StringComparer.Ordinal);

    public async Task<string> DispatchAsync(FulfillmentDispatch dispatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        ArgumentException.ThrowIfNullOrWhiteSpace(dispatch.IdempotencyKey);
        var message = new PickListMessage(dispatch.OrderId, dispatch.FulfillmentId, dispatch.Location, dispatch.Lines, dispatch.TrackingNumber, dispatch.IdempotencyKey);
        var messageId = await SendOnceAsync(dispatch.OrderId, dispatch.FulfillmentId, dispatch.Location, dispatch.IdempotencyKey, message, cancellationToken);

        // After the send, on the first and on every retried dispatch: a crash between the two still leaves the row.
        await picks.RecordHandoffAsync(message, clock.GetUtcNow(), cancellationToken);
        return messageId;
    }

    /// <summary>
    /// Puts a <see cref="FulfillmentCancelMessage"/> on the location's queue (once per idempotency key, like a pick
    /// list). The warehouse answers later through the signed fulfillment callback, so the answer is pending.
    /// </summary>
    public async Task<LocationCancelAnswer> CancelAsync(FulfillmentCancellation cancellation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cancellation);
        ArgumentException.ThrowIfNullOrWhiteSpace(cancellation.IdempotencyKey);
        var message = new FulfillmentCancelMessage(
            PickListMessage.CancelKind, cancellation.OrderId, cancellation.FulfillmentId, cancellation.Location, cancellation.Lines,
            cancellation.TrackingNumber, cancellation.Reason, cancellation.IdempotencyKey);
        var messageId = await SendOnceAsync(cancellation.OrderId, cancellation.FulfillmentId, cancellation.Location, cancellation.IdempotencyKey, message, cancellationToken);
        await picks.RecordCancelRequestAsync(cancellation.Location, cancellation.FulfillmentId, cancellation.Reason, cancellationToken);
        return new LocationCancelAnswer(LocationCancelAnswer.Pending, null, $"cancel message {messageId}");
    }

    private async Task<string> SendOnceAsync<T>(string orderId, string fulfillmentId, string location, string idempotencyKey, T message, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Dispatches, cancellationToken);
        var partition = TableKeys.Encode(orderId);
        var row = TableKeys.Encode(idempotencyKey);
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
        if (existing.HasValue && existing.Value?.GetString("MessageId") is { } previous)
        {
            LogAlreadyDispatched(orderId, fulfillmentId, previous);
            return previous;
        }

        var queueName = QueueNameFor(location);
        var queue = await GetQueueAsync(queueName, cancellationToken);
        var receipt = await queue.SendMessageAsync(JsonSerializer.Serialize(message, IntegrationJson.Options), cancellationToken);
        var messageId = receipt.Value.MessageId;

        await table.UpsertEntityAsync(
            new TableEntity(partition, row)
            {
                ["OrderId"] = orderId,
                ["FulfillmentId"] = fulfillmentId,
                ["Location"] = location,
                ["Queue"] = queueName,
                ["MessageId"] = messageId,
                ["DispatchedAt"] = clock.GetUtcNow(),
            },
            TableUpdateMode.Replace,
            cancellationToken);
        LogDispatched(orderId, fulfillmentId, queueName, messageId);
        return messageId;
    }

    /// <summary>The queue a location's pick lists go to under the configured prefix.</summary>
    public string QueueNameFor(string location) => QueueNames.PickList(storage.Value.TablePrefix, location);

    private async Task<QueueClient> GetQueueAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = created.GetOrAdd(name, n => new Lazy<Task<QueueClient>>(async () =>
        {
            var client = queues.GetQueueClient(n);
            await client.CreateIfNotExistsAsync();
            return client;
        }));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted || lazy.Value.IsCanceled)
        {
            created.TryRemove(KeyValuePair.Create(name, lazy));
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: message for fulfillment {FulfillmentId} queued on {Queue} as {MessageId}")]
    private partial void LogDispatched(string orderId, string fulfillmentId, string queue, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: message for fulfillment {FulfillmentId} was already queued as {MessageId}")]
    private partial void LogAlreadyDispatched(string orderId, string fulfillmentId, string messageId);
}
