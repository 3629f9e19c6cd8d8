using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Storage;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Sandbox;

/// <summary>
/// SANDBOX accounting ledger: sale entries in the "Ledger" table (partition = order id, row key = reference), posted
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

    /// <summary>The entries posted for one order (what reconciliation compares against).</summary>
    public async Task<IReadOnlyList<SaleEntry>> ListForOrderAsync(string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var table = await tables.GetAsync(TableNames.Ledger, cancellationToken);
        var entries = new List<SaleEntry>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Encode(orderId)}"), cancellationToken: cancellationToken))
        {
            var currency = e.GetString("Currency") ?? string.Empty;
            entries.Add(new SaleEntry(
                e.GetString("OrderId") ?? orderId,
                e.GetString("OrderNumber") ?? string.Empty,
                new Money(e.GetInt64("RevenueMinor") ?? 0, currency),
                new Money(e.GetInt64("TaxMinor") ?? 0, currency),
                new Money(e.GetInt64("ShippingMinor") ?? 0, currency),
                new Money(e.GetInt64("DiscountMinor") ?? 0, currency),
                e.GetString("Reference") ?? TableKeys.Decode(e.RowKey)));
        }

        return entries;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sandbox ledger entry {EntryId} posted for {Reference}")]
    private partial void LogPosted(string orderId, string entryId, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: sale {Reference} was already posted")]
    private partial void LogAlreadyPosted(string orderId, string reference);
}
