using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Inventory;

/// <summary>
/// The automatic split (<c>Inventory:AutoSplit</c>), run by the <see cref="ReservationReaper"/> on each pass for each SKU
/// with the entities it has just read: it sums their <see cref="SkuInventory.ReserveRate"/> (reservations per minute),
/// decides (<see cref="AutoSplitPolicy"/>), records a switch in the store first and then in the process's
/// <see cref="AutoSplitRegistry"/>, and logs it. The reaper then starts the SKU's rebalance with the new shard count, so a
/// SKU switched on gets stock in its new shards and one switched off has its shards' available units moved home.
/// </summary>
public sealed partial class AutoSplitter(IAutoSplitStore store, IOptions<InventoryOptions> inventory, ILogger<AutoSplitter> logger)
{
    /// <summary>Loads the automatic splits from the store (each pass starts so: another instance may have switched one).</summary>
    public Task LoadAsync(CancellationToken cancellationToken = default) => inventory.Value.AutomaticSplits.LoadAsync(store, cancellationToken);

    /// <summary>
    /// One pass over <paramref name="sku"/>: <paramref name="entities"/> are its own entity and, when it is or was split,
    /// every shard that exists (null state: never touched). Returns the change made.
    /// </summary>
    public async Task<AutoSplitChange> CheckAsync(string sku, IReadOnlyList<(string Key, SkuInventory? State)> entities, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var options = inventory.Value;
        var registry = options.AutomaticSplits;
        var current = registry.Find(sku);
        if (!options.AutoSplit.Enabled && current is null)
        {
            return AutoSplitChange.None;
        }

        var rate = entities.Sum(e => e.State?.ReserveRate.PerMinute(asOf) ?? 0);
        var shardsEmpty = entities.Where(e => StockShards.IsShard(e.Key)).All(e => e.State is null || IsEmpty(e.State));
        var decision = AutoSplitPolicy.Decide(options.AutoSplit, options.SplitSkus.ContainsKey(sku), sku, current, rate, shardsEmpty, asOf);
        switch (decision.Change)
        {
            case AutoSplitChange.None:
                break;
            case AutoSplitChange.Forget:
                await store.DeleteAsync(sku, cancellationToken);
                registry.Forget(sku);
                LogForgotten(sku);
                break;
            default:
                var next = decision.Next!;
                await store.SaveAsync(next, cancellationToken);
                registry.Put(next);
                if (decision.Change == AutoSplitChange.On)
                {
                    LogOn(sku, rate, next.Shards, options.AutoSplit.OnAbove);
                }
                else if (decision.Change == AutoSplitChange.Off)
                {
                    LogOff(sku, rate, current!.Shards, options.AutoSplit.Enabled ? "quiet for Inventory:AutoSplit:OffAfter" : "Inventory:AutoSplit:Enabled is false");
                }

                break;
        }

        return decision.Change;
    }

    private static bool IsEmpty(SkuInventory state) =>
        state.Reservations.Count == 0 && state.Backorders.Count == 0 && state.Locations.Values.All(l => l.OnHand == 0 && l.Reserved == 0);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sku}: split automatically across {Shards} shard(s) at {Rate} reservations/min (above {OnAbove})")]
    private partial void LogOn(string sku, int rate, int shards, int onAbove);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sku}: automatic split over {Shards} shard(s) switched off at {Rate} reservations/min ({Why}); the shards' available units go home")]
    private partial void LogOff(string sku, int rate, int shards, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Sku}: every shard of its former automatic split is empty; no longer read through shards")]
    private partial void LogForgotten(string sku);
}
