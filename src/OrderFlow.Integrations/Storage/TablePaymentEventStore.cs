using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// The Payments table: partition "intent" maps payment intent id -> order id (first claim wins); partition "notice|{intent id}" holds one row
/// per provider event (row key = event id) with Status "pending" until relayed, then "raised" (kept, never deleted).
/// </summary>
public sealed partial class TablePaymentEventStore(OrderFlowTables tables, TimeProvider clock, ILogger<TablePaymentEventStore> logger) : IPaymentEventStore
{
    private const string IntentPartition = "intent";
    private const string NoticePartitionPrefix = "notice";
    private const string Pending = "pending";
    private const string Raised = "raised";

    public async Task<string> RecordOrderAsync(string paymentIntentId, string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentIntentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var table = await tables.GetAsync(TableNames.Payments, cancellationToken);
        var entity = new TableEntity(IntentPartition, TableKeys.Encode(paymentIntentId))
        {
            ["PaymentIntentId"] = paymentIntentId,
            ["OrderId"] = orderId,
        };
        try
        {
            // Insert-if-absent: a second order naming the same intent never takes the binding (and its disputes) over.
            await table.AddEntityAsync(entity, cancellationToken);
            return orderId;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var bound = await this.FindOrderAsync(paymentIntentId, cancellationToken);
            if (bound is not null && !string.Equals(bound, orderId, StringComparison.Ordinal))
            {
                LogAlreadyBound(paymentIntentId, bound, orderId);
            }

            return bound ?? orderId;
        }
    }

    public async Task<string?> FindOrderAsync(string paymentIntentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentIntentId);
        var table = await tables.GetAsync(TableNames.Payments, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(IntentPartition, TableKeys.Encode(paymentIntentId), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value!.GetString("OrderId") : null;
    }

    public async Task<bool> AddPendingAsync(PaymentEventNotice notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentException.ThrowIfNullOrWhiteSpace(notice.PaymentIntentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(notice.EventId);
        var table = await tables.GetAsync(TableNames.Payments, cancellationToken);
        var entity = new TableEntity(NoticePartition(notice.PaymentIntentId), TableKeys.Encode(notice.EventId))
        {
            ["Type"] = notice.Type,
            ["Status"] = Pending,
            ["OccurredAt"] = notice.OccurredAt,
            ["Notice"] = JsonSerializer.Serialize(notice, IntegrationJson.Options),
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<PaymentEventNotice>> GetPendingAsync(string paymentIntentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentIntentId);
        var table = await tables.GetAsync(TableNames.Payments, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {NoticePartition(paymentIntentId)} and Status eq {Pending}");
        var notices = new List<PaymentEventNotice>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (entity.GetString("Notice") is { } json && JsonSerializer.Deserialize<PaymentEventNotice>(json, IntegrationJson.Options) is { } notice)
            {
                notices.Add(notice);
            }
        }

        return notices.OrderBy(n => n.OccurredAt).ThenBy(n => n.EventId, StringComparer.Ordinal).ToList();
    }

    public async Task MarkRaisedAsync(string paymentIntentId, string eventId, string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentIntentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        var table = await tables.GetAsync(TableNames.Payments, cancellationToken);
        var entity = new TableEntity(NoticePartition(paymentIntentId), TableKeys.Encode(eventId))
        {
            ["Status"] = Raised,
            ["OrderId"] = orderId,
            ["RaisedAt"] = clock.GetUtcNow(),
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
        LogRaised(eventId, orderId);
    }

    private static string NoticePartition(string paymentIntentId) => NoticePartitionPrefix + TableKeys.Separator + TableKeys.Encode(paymentIntentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentIntentId} is bound to order {BoundOrderId}; order {OrderId} cannot claim it")]
    private partial void LogAlreadyBound(string paymentIntentId, string boundOrderId, string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment event {EventId} relayed to order {OrderId}")]
    private partial void LogRaised(string eventId, string orderId);
}
