using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Inventory;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Storage;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Inventory;
using OrderFlow.Workflows.Notifications;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Inventory;

/// <summary>
/// The stock movement ledger in Azure Tables ("StockLedger": partition = SKU, row = sequence + index, written as one
/// entity-group transaction per operation, so an operation's movements land together or not at all), and low-stock
/// alerts ("StockAlerts", row per SKU and sequence, emailed once to purchasing with a purchase-order suggestion worked
/// out from the SKU's shipped units in the ledger; a receipt of the SKU closes its open suggestions).
/// </summary>
public sealed partial class TableStockLedger(
    OrderFlowTables tables,
    IChannelSyncOutbox channels,
    IEmailSender email,
    IOptions<InventoryOptions> inventory,
    IOptions<StoreOptions> store,
    TimeProvider clock,
    ILogger<TableStockLedger> logger) : IStockJournal, IStockAlerts
{
    private const string AlertPartition = "alert";
    private const int MaxNotifyErrorChars = 1_000;

    public async Task RecordAsync(StockJournalEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);

        // The alert and the channel outbox first (both idempotent), the ledger last: when the ledger transaction fails, no
        // movement of the failed operation is left behind (the operation is rolled back and retried with the same sequence).
        if (entry.Alert is { } alert)
        {
            var alerts = await tables.GetAsync(TableNames.StockAlerts, cancellationToken);
            await alerts.UpsertEntityAsync(AlertRow(alert, entry.At), TableUpdateMode.Merge, cancellationToken);
            LogLowStock(alert.Sku, alert.Available, alert.Threshold);
        }

        if (entry.Movements.Count == 0)
        {
            return;
        }

        // Sales channels get the new availability (coalesced per SKU by version); before the ledger, like the alert.
        await channels.RecordAsync(entry.Sku, entry.AvailableByLocation, entry.Sequence, cancellationToken);

        var ledger = await tables.GetAsync(TableNames.StockLedger, cancellationToken);
        var partition = TableKeys.Encode(entry.Sku);
        // Each row says how many movements its operation wrote under its sequence number: a run of another operation that
        // used the same number and was never saved (its host died) may have written more rows, which readers then skip.
        var perSequence = entry.Movements.GroupBy(m => m.Sequence).ToDictionary(g => g.Key, g => g.Count());
        var numbered = entry.Movements.GroupBy(m => m.Sequence).SelectMany(g => g.Select((m, i) => (m, i)));
        foreach (var chunk in numbered.Chunk(100))
        {
            var actions = chunk.Select(x => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, RowKey(x.m.Sequence, x.i))
            {
                ["Sku"] = entry.Sku,
                ["Sequence"] = x.m.Sequence,
                ["Movements"] = perSequence[x.m.Sequence],
                ["Location"] = x.m.Location,
                ["OnHandDelta"] = x.m.OnHandDelta,
                ["ReservedDelta"] = x.m.ReservedDelta,
                ["Reason"] = x.m.Reason,
                ["OrderId"] = x.m.OrderId,
                ["FulfillmentId"] = x.m.FulfillmentId,
                ["Actor"] = x.m.Actor,
                ["At"] = entry.At,
            }));
            await ledger.SubmitTransactionAsync(actions, cancellationToken);
        }

        // A receipt answers the purchase orders suggested so far: after the ledger, so a refused receipt closes nothing; a
        // failure here fails the operation, whose retry writes the same ledger rows and closes them then.
        if (entry.Movements.FirstOrDefault(m => m.OnHandDelta > 0 && StockReasons.IsReceipt(m.Reason)) is { } receipt)
        {
            await CloseSuggestionsAsync(entry.Sku, entry.Sequence, receipt.Reason, entry.At, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<StockLedgerLine>> ReadAsync(string sku, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        var ledger = await tables.GetAsync(TableNames.StockLedger, cancellationToken);
        var rows = new List<TableEntity>();
        await foreach (var e in ledger.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Encode(sku)}"), cancellationToken: cancellationToken))
        {
            rows.Add(e);
        }

        // Per sequence number, the first row says how many movements the operation that kept the number wrote (rows
        // written before that count was recorded have none: all kept); rows past it are left over from an abandoned run.
        var kept = rows.ToLookup(e => e.GetInt64("Sequence") ?? 0).SelectMany(g =>
        {
            var count = g.FirstOrDefault(e => e.RowKey.EndsWith("-0000", StringComparison.Ordinal))?.GetInt32("Movements");
            return count is { } n ? g.Where(e => int.Parse(e.RowKey[(e.RowKey.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture) < n) : g;
        });
        var lines = new List<StockLedgerLine>();
        foreach (var e in kept.OrderBy(e => e.RowKey, StringComparer.Ordinal))
        {
            lines.Add(new StockLedgerLine(
                new StockMovement(
                    e.GetInt64("Sequence") ?? 0,
                    e.GetString("Location") ?? string.Empty,
                    e.GetInt32("OnHandDelta") ?? 0,
                    e.GetInt32("ReservedDelta") ?? 0,
                    e.GetString("Reason") ?? string.Empty,
                    e.GetString("OrderId"),
                    e.GetString("FulfillmentId"),
                    e.GetString("Actor") ?? string.Empty),
                e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue));
        }

        return lines;
    }

    public async Task<bool> NotifyAsync(LowStockAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var alerts = await tables.GetAsync(TableNames.StockAlerts, cancellationToken);
        var key = AlertKey(alert);
        TableEntity row;
        try
        {
            row = (await alerts.GetEntityAsync<TableEntity>(AlertPartition, key, cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            row = AlertRow(alert, clock.GetUtcNow());
            await alerts.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
        }

        if (row.GetDateTimeOffset("NotifiedAt") is not null)
        {
            return false;
        }

        var suggestion = await SuggestAsync(alert, cancellationToken);
        if (inventory.Value.PurchasingEmail is { Length: > 0 } to)
        {
            var c = CultureInfo.InvariantCulture;
            var subject = $"[{store.Value.StoreName}] Low stock: {alert.Sku} has {alert.Available} available (reorder at {alert.Threshold}); suggest ordering {suggestion.Quantity}";
            var content = new EmailDocument()
                .Paragraph($"Available stock of {alert.Sku} fell below its reorder threshold.")
                .Rows([
                    ("SKU", alert.Sku),
                    ("Available now", alert.Available.ToString(c)),
                    ("Reorder threshold", alert.Threshold.ToString(c)),
                    ("Suggested order", $"{suggestion.Quantity.ToString(c)} units"),
                ])
                .Paragraph(suggestion.Explain())
                .Paragraph("Posting the receipt (POST /api/inventory/{sku}/movements with reason \"received\") closes this suggestion. "
                    + "The console's reorder page lists the open ones; GET /api/inventory/{sku}/explain (with the operator key) shows on hand, reservations and waiting orders per location.")
                .Build(subject);
            await email.SendAsync(new EmailMessage(to, null, content.Subject, content.TextBody, content.HtmlBody, $"low-stock:{key}"), cancellationToken);
        }

        // An empty NotifyError clears a failure recorded by an earlier attempt (a merge cannot remove a property).
        await alerts.UpsertEntityAsync(
            new TableEntity(AlertPartition, key)
            {
                ["NotifiedAt"] = clock.GetUtcNow(),
                ["NotifyError"] = string.Empty,
                ["SuggestedQuantity"] = suggestion.Quantity,
                ["Suggestion"] = suggestion.Explain(),
            },
            TableUpdateMode.Merge,
            cancellationToken);
        LogAlertSent(alert.Sku, inventory.Value.PurchasingEmail is { Length: > 0 });
        return true;
    }

    public async Task RecordNotifyFailureAsync(LowStockAlert alert, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        var alerts = await tables.GetAsync(TableNames.StockAlerts, cancellationToken);
        var row = AlertRow(alert, clock.GetUtcNow());
        var existing = await alerts.GetEntityIfExistsAsync<TableEntity>(AlertPartition, row.RowKey, cancellationToken: cancellationToken);
        if (existing.HasValue && existing.Value is not null)
        {
            row.Remove("RaisedAt");
        }

        row["NotifyError"] = error.Length > MaxNotifyErrorChars ? error[..MaxNotifyErrorChars] : error;
        row["NotifyFailedAt"] = clock.GetUtcNow();
        await alerts.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<IReadOnlyList<StockAlertRecord>> ListAsync(int max, CancellationToken cancellationToken = default)
    {
        var alerts = await tables.GetAsync(TableNames.StockAlerts, cancellationToken);
        var records = new List<StockAlertRecord>();
        await foreach (var e in alerts.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {AlertPartition}"), cancellationToken: cancellationToken))
        {
            records.Add(new StockAlertRecord(
                e.GetString("Sku") ?? string.Empty,
                e.GetInt64("Sequence") ?? 0,
                e.GetInt32("Available") ?? 0,
                e.GetInt32("Threshold") ?? 0,
                e.GetDateTimeOffset("RaisedAt") ?? DateTimeOffset.MinValue,
                e.GetDateTimeOffset("NotifiedAt"),
                e.GetString("NotifyError") is { Length: > 0 } notifyError ? notifyError : null,
                e.GetInt32("SuggestedQuantity"),
                e.GetString("Suggestion"),
                e.GetDateTimeOffset("ClosedAt"),
                e.GetString("ClosedBy")));
        }

        return records.OrderByDescending(r => r.RaisedAt).Take(Math.Max(max, 0)).ToList();
    }

    /// <summary>
    /// The purchase-order suggestion for an alert: the units the SKU's shipments took in the last
    /// <see cref="InventoryOptions.SalesWindowDays"/> (commit movements in the ledger, of all its entities when it is split) give the sales rate.
    /// </summary>
    private async Task<ReorderSuggestion> SuggestAsync(LowStockAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var options = inventory.Value;
        var since = clock.GetUtcNow().AddDays(-options.SalesWindowDays);
        var ledger = await tables.GetAsync(TableNames.StockLedger, cancellationToken);
        long sold = 0;

        // A split SKU ships from all its entities (each has its own ledger rows, under its key).
        foreach (var key in WholeSkuStock.Keys(options, alert.Sku))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Encode(key)} and Reason eq {StockReasons.Commit} and At ge {since}");
            await foreach (var e in ledger.QueryAsync<TableEntity>(filter, select: ["OnHandDelta"], cancellationToken: cancellationToken))
            {
                sold -= Math.Min(e.GetInt32("OnHandDelta") ?? 0, 0);
            }
        }

        return ReorderSuggestion.Compute(
            alert.Available, alert.Threshold, (int)Math.Min(sold, int.MaxValue), options.SalesWindowDays, options.LeadTimeFor(alert.Sku), options.ReorderCoverDays);
    }

    private async Task CloseSuggestionsAsync(string sku, long receiptSequence, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var alerts = await tables.GetAsync(TableNames.StockAlerts, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AlertPartition} and Sku eq {sku}");
        await foreach (var e in alerts.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.GetDateTimeOffset("ClosedAt") is null && (e.GetInt64("Sequence") ?? 0) < receiptSequence)
            {
                await alerts.UpsertEntityAsync(
                    new TableEntity(AlertPartition, e.RowKey) { ["ClosedAt"] = at, ["ClosedBy"] = reason }, TableUpdateMode.Merge, cancellationToken);
                LogSuggestionClosed(sku, e.GetInt64("Sequence") ?? 0);
            }
        }
    }

    private static TableEntity AlertRow(LowStockAlert alert, DateTimeOffset raisedAt) => new(AlertPartition, AlertKey(alert))
    {
        ["Sku"] = alert.Sku,
        ["Sequence"] = alert.Sequence,
        ["Available"] = alert.Available,
        ["Threshold"] = alert.Threshold,
        ["RaisedAt"] = raisedAt,
    };

    private static string RowKey(long sequence, int index) =>
        sequence.ToString("D19", CultureInfo.InvariantCulture) + "-" + index.ToString("D4", CultureInfo.InvariantCulture);

    private static string AlertKey(LowStockAlert alert) =>
        TableKeys.Encode(alert.Sku) + TableKeys.Separator + alert.Sequence.ToString("D19", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Low stock: {Sku} has {Available} available, below its reorder threshold {Threshold}")]
    private partial void LogLowStock(string sku, int available, int threshold);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reorder suggestion of {Sku} (alert {Sequence}) closed by a receipt")]
    private partial void LogSuggestionClosed(string sku, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Low-stock alert for {Sku} handled (emailed: {Emailed})")]
    private partial void LogAlertSent(string sku, bool emailed);
}
