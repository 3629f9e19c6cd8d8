using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Inventory;

/// <summary>
/// One SKU's stock as readers show it, whether or not it is split across shard entities (<see cref="StockShards"/>): a
/// SKU listed in <c>Inventory:SplitSkus</c> or split automatically (now or before, to see a retired shard:
/// <see cref="InventoryOptions.WasSplit"/>) has its stock in its own entity and in
/// shard entities <c>{sku}~shard{n}</c>, each a whole inventory of its own. Every reader of a SKU's stock (the stock view
/// and the console, explain and audit, the catalog export and import, the channel stock sync, low-stock alerts) reads it
/// through here, so none of them sees one shard as the SKU. An unsplit SKU is its one entity, read as before.
/// </summary>
public static class WholeSkuStock
{
    /// <summary>The entity keys that may hold <paramref name="sku"/>'s stock: the SKU itself, and its shards when it is (or was) split.</summary>
    public static IReadOnlyList<string> Keys(InventoryOptions? options, string sku) =>
        options?.WasSplit(sku) == true ? StockShards.Keys(sku, StockShards.MaxShards) : [sku];

    /// <summary>True when <paramref name="sku"/>'s stock may be in more than its own entity.</summary>
    public static bool MayBeSplit(InventoryOptions? options, string sku) => options?.WasSplit(sku) == true;

    /// <summary>The SKU's own entity (always first; empty when never touched) and every shard that exists, with its state.</summary>
    public static async Task<IReadOnlyList<(string Key, SkuInventory Stock)>> ReadEntitiesAsync(
        IWorkflowClient workflows, InventoryOptions? options, string sku, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        if (options is not null)
        {
            await options.AutomaticSplits.RefreshAsync(cancellationToken);
        }

        var keys = Keys(options, sku);
        var entities = new List<(string, SkuInventory)>(keys.Count);
        foreach (var key in keys)
        {
            var state = await workflows.GetEntityStateAsync<SkuInventory>(nameof(InventoryEntity), key, cancellationToken);
            if (state is not null || key == sku)
            {
                entities.Add((key, state ?? new SkuInventory()));
            }
        }

        return entities;
    }

    /// <summary>The whole SKU read from its entities (<see cref="Merge"/>); an unsplit SKU's entity as stored (empty when never touched).</summary>
    public static async Task<SkuInventory> ReadAsync(IWorkflowClient workflows, InventoryOptions? options, string sku, CancellationToken cancellationToken) =>
        Merge([.. (await ReadEntitiesAsync(workflows, options, sku, cancellationToken)).Select(e => e.Stock)]);

    /// <summary>
    /// One SKU from its entities (the SKU's own first): on-hand and reserved summed per location, every reservation (an
    /// order holds a SKU in one shard), the backorder queue, threshold and sequence of the SKU's own entity (shards keep none).
    /// </summary>
    public static SkuInventory Merge(IReadOnlyList<SkuInventory> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        if (entities.Count == 1)
        {
            return entities[0];
        }

        var own = entities[0];
        var merged = new SkuInventory { Backorders = own.Backorders, ReorderThreshold = own.ReorderThreshold, BelowThreshold = own.BelowThreshold, Sequence = own.Sequence };
        foreach (var entity in entities)
        {
            foreach (var (location, stock) in entity.Locations)
            {
                var sum = merged.Locations.TryGetValue(location, out var known) ? known : merged.Locations[location] = new LocationStock();
                sum.OnHand += stock.OnHand;
                sum.Reserved += stock.Reserved;
            }

            foreach (var (orderId, reservation) in entity.Reservations)
            {
                merged.Reservations[orderId] = reservation;
            }
        }

        return merged;
    }

    /// <summary>Available units per location summed over a SKU's entities (each entity's published levels, as the channel outbox keeps them).</summary>
    public static IReadOnlyDictionary<string, int> SumAvailable(IEnumerable<IReadOnlyDictionary<string, int>> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var sum = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (location, available) in levels.SelectMany(l => l))
        {
            sum[location] = sum.GetValueOrDefault(location) + available;
        }

        return sum;
    }
}
