using Azure;
using Azure.Data.Tables;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Storage;

/// <summary>
/// The SKUs split automatically (<see cref="AutoSplit"/>) in the "AutoSplits" table: partition "sku", row key = the SKU,
/// the record as columns (readable in a table browser). A handful of rows: the reaper's pass and the order workflow's
/// stock policies read them all.
/// </summary>
public sealed class TableAutoSplitStore(OrderFlowTables tables) : IAutoSplitStore
{
    internal const string Partition = "sku";

    public async Task<IReadOnlyList<AutoSplit>> ListAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.AutoSplits, cancellationToken);
        var splits = new List<AutoSplit>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
        {
            splits.Add(new AutoSplit(
                e.GetString("Sku") ?? e.RowKey,
                e.GetInt32("Shards") ?? 1,
                e.GetDateTimeOffset("Since") ?? DateTimeOffset.MinValue,
                e.GetInt32("RatePerMinute") ?? 0,
                e.GetDateTimeOffset("QuietSince")));
        }

        return splits;
    }

    public async Task SaveAsync(AutoSplit split, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentException.ThrowIfNullOrWhiteSpace(split.Sku);
        var table = await tables.GetAsync(TableNames.AutoSplits, cancellationToken);
        var entity = new TableEntity(Partition, TableKeys.Encode(split.Sku))
        {
            ["Sku"] = split.Sku,
            ["Shards"] = split.Shards,
            ["Since"] = split.Since,
            ["RatePerMinute"] = split.RatePerMinute,
        };
        if (split.QuietSince is { } quietSince)
        {
            entity["QuietSince"] = quietSince;
        }

        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task DeleteAsync(string sku, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        var table = await tables.GetAsync(TableNames.AutoSplits, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(Partition, TableKeys.Encode(sku), ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already forgotten.
        }
    }
}
