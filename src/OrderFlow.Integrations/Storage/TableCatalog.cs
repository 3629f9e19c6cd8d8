using Azure.Data.Tables;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Storage;

/// <summary>The product catalog in Azure Tables: partition "catalog", row key = encoded SKU.</summary>
public sealed class TableCatalog(OrderFlowTables tables) : ICatalog
{
    internal const string Partition = "catalog";

    public async Task<IReadOnlySet<string>> FindSellableAsync(IEnumerable<string> skus, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(skus);
        var distinct = skus.Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal).ToList();
        var items = await Task.WhenAll(distinct.Select(sku => GetAsync(sku, cancellationToken)));
        return items.Where(i => i is { Sellable: true }).Select(i => i!.Sku).ToHashSet(StringComparer.Ordinal);
    }

    public async Task UpsertAsync(CatalogItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentException.ThrowIfNullOrWhiteSpace(item.Sku);
        var table = await tables.GetAsync(TableNames.Catalog, cancellationToken);
        await table.UpsertEntityAsync(
            new TableEntity(Partition, TableKeys.Encode(item.Sku))
            {
                ["Sku"] = item.Sku,
                ["Title"] = item.Title,
                ["Sellable"] = item.Sellable,
                ["OutOfStockPolicy"] = item.OutOfStockPolicy,
                ["SubstituteSku"] = item.SubstituteSku,
                ["ReorderThreshold"] = item.ReorderThreshold,
                ["Digital"] = item.Digital,
                ["DownloadUrl"] = item.DownloadUrl,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListSkusAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Catalog, cancellationToken);
        var skus = new List<string>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), select: ["Sku"], cancellationToken: cancellationToken))
        {
            skus.Add(e.GetString("Sku") ?? TableKeys.Decode(e.RowKey));
        }

        return skus;
    }

    public async Task<CatalogItem?> GetAsync(string sku, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        var table = await tables.GetAsync(TableNames.Catalog, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Encode(sku), cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is null)
        {
            return null;
        }

        var e = response.Value;
        return new CatalogItem(
            e.GetString("Sku") ?? sku,
            e.GetString("Title") ?? string.Empty,
            e.GetBoolean("Sellable") ?? false,
            e.GetString("OutOfStockPolicy"),
            e.GetString("SubstituteSku"),
            e.GetInt32("ReorderThreshold"),
            e.GetBoolean("Digital") ?? false,
            e.GetString("DownloadUrl"));
    }
}
