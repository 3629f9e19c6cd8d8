using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Storage;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Sandbox;

/// <summary>
/// SANDBOX accounting ledger: sale and refund documents in the "Ledger" table (partition = order id, row key = reference), posted
/// once per reference, so reconciliation can read them back like a real accounting system's entries.
/// </summary>
public sealed partial class SandboxAccountingLedger(OrderFlowTables tables, TimeProvider clock, ILogger<SandboxAccountingLedger> logger) : IAccountingLedger
{
    public async Task<string> PostSaleAsync(SaleEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Reference);
        var table = await tables.GetAsync(TableNames.Ledger, cancellationToken);
        var entryId = $"sbx-le-{SandboxHash.Hex(entry.Reference, 16)}";
        var entity = new TableEntity(TableKeys.Encode(entry.OrderId), TableKeys.Encode(entry.Reference))
        {
            ["Kind"] = AccountingDocument.Sale,
            ["EntryId"] = entryId,
            ["Reference"] = entry.Reference,
            ["OrderId"] = entry.OrderId,
            ["OrderNumber"] = entry.OrderNumber,
            ["Currency"] = entry.Revenue.Currency,
            ["RevenueMinor"] = entry.Revenue.MinorUnits,
            ["TaxMinor"] = entry.Tax.MinorUnits,
            ["ShippingMinor"] = entry.Shipping.MinorUnits,
            ["DiscountMinor"] = entry.Discount.MinorUnits,
            ["PostedAt"] = clock.GetUtcNow(),
        };

        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            LogPosted(entry.OrderId, entryId, entry.Reference);
            return entryId;
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            var existing = await table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken);
            LogAlreadyPosted(entry.OrderId, entry.Reference);
            return existing.Value.GetString("EntryId") ?? entryId;
        }
    }

    public async Task<string> PostRefundAsync(RefundEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Reference);
        var table = await tables.GetAsync(TableNames.Ledger, cancellationToken);
        var entryId = $"sbx-cn-{SandboxHash.Hex(entry.Reference, 16)}";
        var entity = new TableEntity(TableKeys.Encode(entry.OrderId), TableKeys.Encode(entry.Reference))
        {
            ["Kind"] = AccountingDocument.Refund,
            ["EntryId"] = entryId,
            ["Reference"] = entry.Reference,
            ["OrderId"] = entry.OrderId,
            ["OrderNumber"] = entry.OrderNumber,
            ["Currency"] = entry.Amount.Currency,
            ["AmountMinor"] = entry.Amount.MinorUnits,
            ["TaxMinor"] = entry.Tax.MinorUnits,
            ["Reason"] = entry.Reason,
            ["PostedAt"] = clock.GetUtcNow(),
        };

        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            LogPosted(entry.OrderId, entryId, entry.Reference);
            return entryId;
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            var existing = await table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken);
            LogAlreadyPosted(entry.OrderId, entry.Reference);
            return existing.Value.GetString("EntryId") ?? entryId;
        }
    }

    /// <summary>The documents posted for one order (what reconciliation compares against).</summary>
    public async Task<IReadOnlyList<AccountingDocument>> ListDocumentsAsync(string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var table = await tables.GetAsync(TableNames.Ledger, cancellationToken);
        var documents = new List<AccountingDocument>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Encode(orderId)}"), cancellationToken: cancellationToken))
        {
            var currency = e.GetString("Currency") ?? string.Empty;
            var kind = e.GetString("Kind") ?? AccountingDocument.Sale;
            var tax = e.GetInt64("TaxMinor") ?? 0;
            var total = kind == AccountingDocument.Refund
                ? e.GetInt64("AmountMinor") ?? 0
                : (e.GetInt64("RevenueMinor") ?? 0) + tax + (e.GetInt64("ShippingMinor") ?? 0) - (e.GetInt64("DiscountMinor") ?? 0);
            documents.Add(new AccountingDocument(
                e.GetString("OrderId") ?? orderId,
                kind,
                e.GetString("Reference") ?? TableKeys.Decode(e.RowKey),
                e.GetString("EntryId") ?? string.Empty,
                new Money(total, currency),
                new Money(tax, currency)));
        }

        return documents;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sandbox ledger entry {EntryId} posted for {Reference}")]
    private partial void LogPosted(string orderId, string entryId, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sale {Reference} was already posted")]
    private partial void LogAlreadyPosted(string orderId, string reference);
}
