using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Inventory;
using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Inventory;

/// <summary>
/// Releases abandoned reservations. For every catalog SKU it reads the entity's reservations; one past its hold is
/// abandoned when its order's workflow no longer runs (finished, failed, terminated or unknown), and is released through
/// <see cref="ReleaseReservationOrchestrator"/> with ledger reason "expired". An expired hold of an order whose workflow
/// is still running (waiting for a person, a backorder, a confirmation) is kept and reported, never taken from it.
/// Before that it releases entity locks whose holder no longer runs (see <see cref="IWorkflowClient.ReleaseOrphanedLocksAsync"/>).
/// Runs from a timer in both hosts.
/// </summary>
/// <para>
/// SKUs split across shard entities (<c>Inventory:SplitSkus</c>, or automatically: <see cref="AutoSplitter"/>, decided
/// on each pass before the rest) have every shard's holds reaped, and each pass starts a
/// <see cref="SplitStockCheckOrchestrator"/> per split SKU (and per SKU no longer split whose shards still exist): a
/// <see cref="StockRebalanceOrchestrator"/>, then the SKU's low-stock decision on the total of its entities.
/// </para>
public sealed partial class ReservationReaper(
    ICatalog catalog, ILogger<ReservationReaper> logger, IOptions<InventoryOptions>? inventory = null, AutoSplitter? autoSplit = null)
{
    private static readonly HashSet<string> Live = new(StringComparer.OrdinalIgnoreCase) { "Running", "Pending", "Suspended" };

    /// <summary>Entities seen wedged in the last pass, with their lock holder.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> suspects = new(StringComparer.Ordinal);

    public async Task<ReaperReport> RunOnceAsync(IWorkflowClient workflows, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflows);

        // First the locks: an inventory entity still locked by an order whose workflow ended serves nobody, and every
        // order of that SKU would wait behind it.
        var locks = 0;
        try
        {
            locks = await workflows.ReleaseOrphanedLocksAsync(cancellationToken);
            if (locks > 0)
            {
                LogLocksReleased(locks);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The clean-up is a sweep over every entity; the reservations below do not depend on it.
            LogLockSweepFailed(ex);
        }

        if (autoSplit is not null)
        {
            // Another instance (or a restart) may have switched a SKU since this process last looked.
            await autoSplit.LoadAsync(cancellationToken);
        }

        var skus = await catalog.ListSkusAsync(cancellationToken);
        int expired = 0, released = 0, kept = 0, unwedged = 0;
        foreach (var sku in skus)
        {
            if (await this.UnwedgeAsync(workflows, sku, cancellationToken))
            {
                unwedged++;
            }

            foreach (var (key, state) in await this.EntitiesOfAsync(workflows, sku, asOf, cancellationToken))
            {
                foreach (var reservation in state?.ExpiredAt(asOf) ?? [])
                {
                    expired++;
                    var status = await workflows.GetStatusAsync(reservation.OrderId, cancellationToken);
                    if (status is not null && Live.Contains(status.RuntimeStatus))
                    {
                        kept++;
                        LogKept(reservation.OrderId, sku, reservation.Quantity, reservation.ExpiresAt);
                        continue;
                    }

                    var instanceId = $"reap-{key}-{reservation.OrderId}-{state!.Sequence}";
                    await workflows.StartAsync(
                        nameof(ReleaseReservationOrchestrator), instanceId, new ReleaseReservation(key, reservation.OrderId, StockReasons.Expired, "reaper"), cancellationToken);
                    released++;
                    LogReleased(reservation.OrderId, key, reservation.Quantity, reservation.ExpiresAt, status?.RuntimeStatus ?? "unknown");
                }
            }
        }

        return new ReaperReport(skus.Count, expired, released, kept, locks, unwedged);
    }

    /// <summary>
    /// The SKU's entity and, for a split SKU or one that was split (<see cref="InventoryOptions.WasSplit"/>: listed in
    /// <c>Inventory:SplitSkus</c>, or split automatically now or before), each shard that exists, with their state. The
    /// automatic split decides on them first (<see cref="AutoSplitter"/>); then a rebalance of the shards is started for
    /// such a SKU, with its shard count after that decision (for a SKU switched on in this pass, on the next pass).
    /// </summary>
    private async Task<IReadOnlyList<(string Key, SkuInventory? State)>> EntitiesOfAsync(IWorkflowClient workflows, string sku, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var options = inventory?.Value;
        IReadOnlyList<(string Key, SkuInventory? State)> entities =
            [.. (await WholeSkuStock.ReadEntitiesAsync(workflows, options, sku, cancellationToken)).Select(e => (e.Key, (SkuInventory?)e.Stock))];

        var change = autoSplit is null ? AutoSplitChange.None : await autoSplit.CheckAsync(sku, entities, asOf, cancellationToken);
        if (options?.WasSplit(sku) != true)
        {
            return entities;
        }

        if (change == AutoSplitChange.On)
        {
            // Orders that read the SKU's stock policies just before the switch (one entity) may still be reserving: they
            // only look at the SKU's own entity, so its stock stays there until the next pass. Orders that read the switch
            // meanwhile find their shards empty, fall back and gather into the SKU's own entity, which holds it all.
            LogSpreadNextPass(sku);
            return entities;
        }

        var shards = options.ShardsOf(sku);
        var keys = StockShards.Keys(sku, StockShards.MaxShards).ToList();
        var retired = entities.Select(e => e.Key).Where(k => keys.IndexOf(k) >= shards).ToList();

        // The rebalance, then the SKU's low-stock decision on the total of its entities (never on one entity's own counts).
        await workflows.StartAsync(
            nameof(SplitStockCheckOrchestrator),
            $"stock-check-{sku}-{asOf.UtcTicks}",
            new SplitStockCheck(new StockRebalance(sku, shards, retired), $"rebalance-{sku}-{asOf.UtcTicks}"),
            cancellationToken);
        LogRebalance(sku, shards, retired.Count);
        return entities;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Sku}: split automatically; its stock is spread over the shards on the next pass")]
    private partial void LogSpreadNextPass(string sku);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Sku}: stock rebalance over {Shards} shard(s) started ({Retired} retired shard(s) emptied)")]
    private partial void LogRebalance(string sku, int shards, int retired);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: abandoned reservation of {Quantity} x {Sku} (expired {ExpiresAt:o}, workflow {Status}) released by the reaper")]
    private partial void LogReleased(string orderId, string sku, int quantity, DateTimeOffset expiresAt, string status);

    /// <summary>
    /// A SKU's entity whose lock holder's own request is stuck behind another order's in its queue (see
    /// <see cref="IWorkflowClient.FindWedgedLockHolderAsync"/>) serves nobody again. Seen in two passes in a row with the
    /// same holder, its lock is released on the holder's behalf: the entity then serves its queue, the holder's request
    /// included, and that order goes on without the lock (every stock operation still checks availability itself, so
    /// nothing oversells; a stale plan at worst meets a shortage, handled by the SKU's out-of-stock policy).
    /// </summary>
    private async Task<bool> UnwedgeAsync(IWorkflowClient workflows, string sku, CancellationToken cancellationToken)
    {
        var holder = await workflows.FindWedgedLockHolderAsync(nameof(InventoryEntity), sku, cancellationToken);
        if (holder is null)
        {
            suspects.TryRemove(sku, out _);
            return false;
        }

        if (!suspects.TryGetValue(sku, out var seen) || seen != holder)
        {
            suspects[sku] = holder;
            return false;
        }

        await workflows.ReleaseLockAsync(nameof(InventoryEntity), sku, holder, cancellationToken);
        suspects.TryRemove(sku, out _);
        LogUnwedged(holder, sku);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: its lock on {Sku} was released because its own request was stuck behind another order's in the entity's queue")]
    private partial void LogUnwedged(string orderId, string sku);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing entity locks of ended workflows failed; the reaper goes on with the reservations")]
    private partial void LogLockSweepFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released {Count} entity lock(s) held by workflows that no longer run")]
    private partial void LogLocksReleased(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: reservation of {Quantity} x {Sku} expired {ExpiresAt:o} but its workflow still runs; kept")]
    private partial void LogKept(string orderId, string sku, int quantity, DateTimeOffset expiresAt);
}

/// <summary>What one reaper pass did.</summary>
public sealed record ReaperReport(int SkusChecked, int Expired, int Released, int KeptForLiveOrders, int OrphanedLocksReleased = 0, int WedgedLocksReleased = 0);
