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
    public Task<string> PostSaleAsync(SaleEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return PostOnceAsync(entry.OrderId, entry.OrderNumber, entry.Reference, AccountingDocument.Sale, "sbx-le", entry.Revenue.Currency, new Dictionary<string, object>
        {
            ["RevenueMinor"] = entry.Revenue.MinorUnits,
            ["TaxMinor"] = entry.Tax.MinorUnits,
            ["ShippingMinor"] = entry.Shipping.MinorUnits,
            ["DiscountMinor"] = entry.Discount.MinorUnits,
        }, cancellationToken);
    }

    public Task<string> PostRefundAsync(RefundEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return PostOnceAsync(entry.OrderId, entry.OrderNumber, entry.Reference, AccountingDocument.Refund, "sbx-cn", entry.Amount.Currency, new Dictionary<string, object>
        {
            ["AmountMinor"] = entry.Amount.MinorUnits,
            ["TaxMinor"] = entry.Tax.MinorUnits,
            ["Reason"] = entry.Reason,
        }, cancellationToken);
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

    /// <summary>Adds the document once per reference (row key); a second post returns the first one's id.</summary>
    private async Task<string> PostOnceAsync(
        string orderId, string orderNumber, string reference, string kind, string idPrefix, string currency, Dictionary<string, object> amounts, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var table = await tables.GetAsync(TableNames.Ledger, cancellationToken);
        var entryId = $"{idPrefix}-{SandboxHash.Hex(reference, 16)}";
        var entity = new TableEntity(TableKeys.Encode(orderId), TableKeys.Encode(reference))
        {
            ["Kind"] = kind,
            ["EntryId"] = entryId,
            ["Reference"] = reference,
            ["OrderId"] = orderId,
            ["OrderNumber"] = orderNumber,
            ["Currency"] = currency,
            ["PostedAt"] = clock.GetUtcNow(),
        };
        foreach (var (name, value) in amounts)
        {
            entity[name] = value;
        }

        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            LogPosted(orderId, entryId, reference);
            return entryId;
        }
        catch (RequestFailedException ex) when (StorageErrors.IsConflict(ex))
        {
            var existing = await table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken);
            LogAlreadyPosted(orderId, reference);
            return existing.Value.GetString("EntryId") ?? entryId;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sandbox ledger entry {EntryId} posted for {Reference}")]
    private partial void LogPosted(string orderId, string entryId, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sale {Reference} was already posted")]
    private partial void LogAlreadyPosted(string orderId, string reference);
}
