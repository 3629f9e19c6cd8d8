using Azure;
using Azure.Data.Tables;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Storage;

namespace OrderFlow.Integrations.Channels;

/// <summary>
/// The write-back outbox in the "WriteBack" table: one partition per order (encoded order id), one row per op:
/// "fulfillment|{fulfillmentId}", "hold" (holding the latest of hold / unhold), "cancel", "complete" and
/// "refund|{refund key}" (with the amount). An op is
/// recorded once; a row is Pending until the storefront has it, or until it was refused (then it names its case).
/// Updates are conditional on the row's ETag, so finishing an old hold never clears a newer unhold.
/// </summary>
public sealed class TableWriteBackOutbox(OrderFlowTables tables)
{
    internal const string HoldKey = "hold";
    internal const string FulfillmentPrefix = "fulfillment|";
    internal const string RefundPrefix = "refund|";

    private const int MaxAttempts = 20;

    /// <summary>Records <paramref name="op"/> of <paramref name="orderId"/> for <paramref name="channel"/> once; the same op again changes nothing.</summary>
    public async Task RecordAsync(string orderId, string channel, string op, string? fulfillmentId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentException.ThrowIfNullOrWhiteSpace(op);
        var table = await tables.GetAsync(TableNames.WriteBack, cancellationToken);
        try
        {
            await table.AddEntityAsync(Row(orderId, channel, KeyOf(op, fulfillmentId), op, fulfillmentId, at), cancellationToken);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            // Recorded before (a retried activity): once is enough.
        }
    }

    /// <summary>
    /// Records a refund of <paramref name="amount"/> made under <paramref name="refundKey"/> (its OrderFlow idempotency
    /// key) for the storefront, once per key.
    /// </summary>
    public async Task RecordRefundAsync(string orderId, string channel, string refundKey, Money amount, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentException.ThrowIfNullOrWhiteSpace(refundKey);
        var row = Row(orderId, channel, RefundPrefix + TableKeys.Encode(refundKey), WriteBackOps.Refund, null, at);
        row["RefundKey"] = refundKey;
        row["AmountMinor"] = amount.MinorUnits;
        row["Currency"] = amount.Currency;
        var table = await tables.GetAsync(TableNames.WriteBack, cancellationToken);
        try
        {
            await table.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            // Recorded before (a retried activity): once is enough.
        }
    }

    /// <summary>
    /// Records that the order is (<paramref name="onHold"/>) or is no longer on hold. Only a change is recorded: an
    /// unhold when the last recorded op was a hold, a hold when there was none or the last was an unhold.
    /// </summary>
    public async Task RecordHoldAsync(string orderId, string channel, bool onHold, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        var table = await tables.GetAsync(TableNames.WriteBack, cancellationToken);
        var partition = TableKeys.Encode(orderId);
        var op = onHold ? WriteBackOps.Hold : WriteBackOps.Unhold;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, HoldKey, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue || existing.Value is null)
                {
                    if (onHold)
                    {
                        await table.AddEntityAsync(Row(orderId, channel, HoldKey, op, null, at), cancellationToken);
                    }

                    return;
                }

                if (existing.Value.GetString("Op") == op)
                {
                    return;
                }

                await table.UpdateEntityAsync(Row(orderId, channel, HoldKey, op, null, at), existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex) || StorageErrors.IsPreconditionFailed(ex))
            {
                // A concurrent hold change: read again and decide again.
            }
        }

        throw new InvalidOperationException($"Could not record the hold state of order {orderId} after {MaxAttempts} concurrent attempts.");
    }

    /// <summary>Every pending write, in no particular order.</summary>
    public async Task<IReadOnlyList<WriteBackRow>> ReadPendingAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.WriteBack, cancellationToken);
        var rows = new List<WriteBackRow>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter: "Pending eq true", cancellationToken: cancellationToken))
        {
            rows.Add(ToRow(entity));
        }

        return rows;
    }

    /// <summary>The row of <paramref name="orderId"/> under <paramref name="key"/> with its state columns, or null.</summary>
    public async Task<TableEntity?> GetAsync(string orderId, string key, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.WriteBack, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Encode(orderId), key, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>The storefront has the write: the row is done (unless it was recorded again meanwhile).</summary>
    public Task MarkDoneAsync(WriteBackRow row, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        UpdateAsync(row, new TableEntity { ["Pending"] = false, ["DoneAt"] = at, ["LastError"] = string.Empty }, cancellationToken);

    /// <summary>The storefront refused the write: the row stops and names the case opened for it.</summary>
    public Task MarkRefusedAsync(WriteBackRow row, string error, string caseId, CancellationToken cancellationToken = default) =>
        UpdateAsync(row, new TableEntity { ["Pending"] = false, ["LastError"] = error, ["CaseId"] = caseId, ["Attempts"] = row.Attempts + 1 }, cancellationToken);

    /// <summary>The storefront could not be reached: the row stays pending and waits until <paramref name="nextAttemptAt"/>.</summary>
    public Task MarkRetryAsync(WriteBackRow row, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default) =>
        UpdateAsync(row, new TableEntity { ["LastError"] = error, ["NextAttemptAt"] = nextAttemptAt, ["Attempts"] = row.Attempts + 1 }, cancellationToken);

    internal static string KeyOf(string op, string? fulfillmentId) => op switch
    {
        WriteBackOps.Fulfillment => FulfillmentPrefix + TableKeys.Encode(fulfillmentId ?? throw new ArgumentNullException(nameof(fulfillmentId))),
        WriteBackOps.Hold or WriteBackOps.Unhold => HoldKey,
        _ => op,
    };

    private async Task UpdateAsync(WriteBackRow row, TableEntity changes, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.WriteBack, cancellationToken);
        changes.PartitionKey = TableKeys.Encode(row.OrderId);
        changes.RowKey = row.Key;
        try
        {
            await table.UpdateEntityAsync(changes, new ETag(row.ETag), TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPreconditionFailed(ex) || StorageErrors.IsNotFound(ex))
        {
            // Recorded again meanwhile (a hold became an unhold): the newer op stays pending for the next run.
        }
    }

    private static TableEntity Row(string orderId, string channel, string key, string op, string? fulfillmentId, DateTimeOffset at) =>
        new(TableKeys.Encode(orderId), key)
        {
            ["OrderId"] = orderId,
            ["Channel"] = channel,
            ["Op"] = op,
            ["FulfillmentId"] = fulfillmentId ?? string.Empty,
            ["Sequence"] = at.UtcTicks,
            ["RecordedAt"] = at,
            ["Pending"] = true,
            ["Attempts"] = 0,
        };

    private static WriteBackRow ToRow(TableEntity e) => new(
        e.GetString("OrderId") ?? TableKeys.Decode(e.PartitionKey),
        e.GetString("Channel") ?? string.Empty,
        e.RowKey,
        e.GetString("Op") ?? string.Empty,
        e.GetString("FulfillmentId") is { Length: > 0 } f ? f : null,
        e.GetInt64("Sequence") ?? 0,
        e.GetInt32("Attempts") ?? 0,
        e.GetDateTimeOffset("NextAttemptAt"),
        e.ETag.ToString(),
        e.GetString("RefundKey") is { Length: > 0 } refundKey ? refundKey : null,
        e.GetInt64("AmountMinor") is { } minor && e.GetString("Currency") is { Length: > 0 } currency ? new Money(minor, currency) : null);
}
