using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// Reads a SKU's stock through its shards: a SKU listed in <c>Inventory:SplitSkus</c> (now or before, to see a retired
/// shard) has its stock in its own entity and in shard entities <c>{sku}~shard{n}</c> (<see cref="StockShards"/>), each
/// with its own counters and its own ledger rows. The explain and audit routes show one SKU from them.
/// </summary>
internal static class ShardedStockReader
{
    /// <summary>The SKU's own entity (always, empty when never touched) and every shard that exists, each with its ledger.</summary>
    public static async Task<IReadOnlyList<StockShard>> ReadAsync(IWorkflowClient workflows, IStockJournal journal, InventoryOptions options, string sku, CancellationToken cancellationToken)
    {
        var keys = options.SplitSkus.ContainsKey(sku) ? StockShards.Keys(sku, StockShards.MaxShards) : [sku];
        var shards = new List<StockShard>(keys.Count);
        foreach (var key in keys)
        {
            var state = await workflows.GetEntityStateAsync<SkuInventory>(nameof(InventoryEntity), key, cancellationToken);
            if (state is null && key != sku)
            {
                continue;
            }

            shards.Add(new StockShard(key, state ?? new SkuInventory(), await journal.ReadAsync(key, cancellationToken)));
        }

        return shards;
    }

    /// <summary>
    /// One SKU from its shards: on-hand and reserved summed per location, every reservation (an order holds a SKU in one
    /// shard), the backorder queue and threshold of the SKU's own entity (shards keep none).
    /// </summary>
    public static SkuInventory Merge(IReadOnlyList<StockShard> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 1)
        {
            return shards[0].Stock;
        }

        var own = shards[0].Stock;
        var merged = new SkuInventory { Backorders = own.Backorders, ReorderThreshold = own.ReorderThreshold, BelowThreshold = own.BelowThreshold, Sequence = own.Sequence };
        foreach (var shard in shards)
        {
            foreach (var (location, stock) in shard.Stock.Locations)
            {
                var sum = merged.Locations.TryGetValue(location, out var known) ? known : merged.Locations[location] = new LocationStock();
                sum.OnHand += stock.OnHand;
                sum.Reserved += stock.Reserved;
            }

            foreach (var (orderId, reservation) in shard.Stock.Reservations)
            {
                merged.Reservations[orderId] = reservation;
            }
        }

        return merged;
    }
}

/// <summary>One entity holding part of a SKU's stock (<see cref="Key"/> is the SKU itself or a shard key) and its ledger.</summary>
internal sealed record StockShard(string Key, SkuInventory Stock, IReadOnlyList<StockLedgerLine> Ledger);
