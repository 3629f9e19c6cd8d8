using System.Collections.Immutable;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Inventory;

/// <summary>
/// The process's view of the SKUs split automatically (<see cref="AutoSplit"/>), read by every place that asks how many
/// shards a SKU has or whether it was ever split (<see cref="Options.InventoryOptions.ShardsOf"/>,
/// <see cref="Options.InventoryOptions.WasSplit"/>). The <see cref="AutoSplitter"/> updates it when it switches a SKU;
/// asynchronous readers (the order workflow's stock policies, whole-SKU readers, the restarter) refresh it from the store
/// when it is older than <see cref="MaxAge"/>, so another instance of the Functions app sees a switch within that time.
/// The order workflow learns a SKU's shards only through <c>GetStockPoliciesActivity</c> (its result is in the history),
/// so a switch takes effect for orders that read their policies afterwards and replay stays deterministic.
/// </summary>
public sealed class AutoSplitRegistry(IAutoSplitStore? store = null, TimeProvider? clock = null)
{
    /// <summary>How old the view may be before an asynchronous reader loads it again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly Lock gate = new();
    private readonly TimeProvider time = clock ?? TimeProvider.System;
    private ImmutableDictionary<string, AutoSplit> splits = ImmutableDictionary.Create<string, AutoSplit>(StringComparer.Ordinal);
    private DateTimeOffset loadedAt = DateTimeOffset.MinValue;
    private long version;

    /// <summary>True when no SKU is split automatically (or remembered as split).</summary>
    public bool IsEmpty => Volatile.Read(ref this.splits).IsEmpty;

    /// <summary>Every automatic split, by SKU.</summary>
    public IReadOnlyCollection<AutoSplit> All => Volatile.Read(ref this.splits).Values.ToList();

    /// <summary>The SKU's automatic split (on, or off while remembered); null when it has none.</summary>
    public AutoSplit? Find(string sku) => Volatile.Read(ref this.splits).GetValueOrDefault(sku);

    /// <summary>How many entities the automatic split gives <paramref name="sku"/> (1 when none, or switched off).</summary>
    public int ShardsOf(string sku) => this.Find(sku) is { IsOn: true } split ? Math.Min(split.Shards, Domain.Inventory.StockShards.MaxShards) : 1;

    /// <summary>
    /// Loads the view from the store when it is older than <see cref="MaxAge"/> (no store: nothing to load). A store that
    /// cannot be read leaves the view as it is (an order must not stop for it; the reaper's pass, which loads it too,
    /// fails and is logged), and the next reader tries again.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        if (store is null || this.time.GetUtcNow() - this.LoadedAt < MaxAge)
        {
            return;
        }

        try
        {
            await this.LoadAsync(store, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Kept as it is; see above.
        }
    }

    /// <summary>Loads the view from <paramref name="source"/> now; a switch recorded meanwhile is kept (the load is dropped).</summary>
    public async Task LoadAsync(IAutoSplitStore source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var before = Interlocked.Read(ref this.version);
        var loaded = await source.ListAsync(cancellationToken);
        lock (this.gate)
        {
            if (this.version == before)
            {
                this.splits = loaded.ToImmutableDictionary(s => s.Sku, StringComparer.Ordinal);
                this.loadedAt = this.time.GetUtcNow();
            }
        }
    }

    /// <summary>Records a switch of <paramref name="split"/>'s SKU (already saved in the store).</summary>
    public void Put(AutoSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        this.Change(s => s.SetItem(split.Sku, split));
    }

    /// <summary>Forgets the SKU (already deleted from the store).</summary>
    public void Forget(string sku) => this.Change(s => s.Remove(sku));

    private DateTimeOffset LoadedAt
    {
        get
        {
            lock (this.gate)
            {
                return this.loadedAt;
            }
        }
    }

    private void Change(Func<ImmutableDictionary<string, AutoSplit>, ImmutableDictionary<string, AutoSplit>> change)
    {
        lock (this.gate)
        {
            this.splits = change(this.splits);
            this.version++;
        }
    }
}
