using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Inventory;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// Reads a SKU's stock through its shards with each entity's ledger (<see cref="WholeSkuStock"/> finds the entities):
/// a split SKU's shards each have their own counters and their own ledger rows. The explain and audit routes show one SKU from them.
/// </summary>
internal static class ShardedStockReader
{
    /// <summary>The SKU's own entity (always, empty when never touched) and every shard that exists, each with its ledger.</summary>
    public static async Task<IReadOnlyList<StockShard>> ReadAsync(IWorkflowClient workflows, IStockJournal journal, InventoryOptions options, string sku, CancellationToken cancellationToken)
    {
        var entities = await WholeSkuStock.ReadEntitiesAsync(workflows, options, sku, cancellationToken);
        var shards = new List<StockShard>(entities.Count);
        foreach (var (key, state) in entities)
        {
            shards.Add(new StockShard(key, state, await journal.ReadAsync(key, cancellationToken)));
        }

        return shards;
    }

    /// <summary>One SKU from its shards (<see cref="WholeSkuStock.Merge"/>).</summary>
    public static SkuInventory Merge(IReadOnlyList<StockShard> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        return WholeSkuStock.Merge([.. shards.Select(s => s.Stock)]);
    }
}

/// <summary>One entity holding part of a SKU's stock (<see cref="Key"/> is the SKU itself or a shard key) and its ledger.</summary>
internal sealed record StockShard(string Key, SkuInventory Stock, IReadOnlyList<StockLedgerLine> Ledger);
