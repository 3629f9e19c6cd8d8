using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Inventory;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Entities;

/// <summary>
/// One durable entity per SKU (entity key = SKU). The engine runs its operations one at a time, so every stock
/// change for the SKU is serialized here; nothing reads counters and writes them back from outside. Each operation
/// writes its movements to the ledger before it completes: when the write fails the operation fails, its state
/// change is rolled back by the engine and the caller retries, so the ledger and the counters never diverge.
/// A hot SKU's stock may be split across several of these (<see cref="StockShards"/>, key <c>{sku}~shard{n}</c>): each
/// shard answers for the SKU, names itself in its reservation outcomes and keeps its own ledger sequence (rows under its key).
/// A split SKU's low-stock alert is decided on the total of all its entities (<see cref="DecideLowStock"/>), never on one's own counts.
/// </summary>
public sealed class InventoryEntity(IStockJournal journal, TimeProvider clock, IOptions<WorkflowOptions> options, IOptions<InventoryOptions>? inventory = null)
    : TaskEntity<SkuInventory>
{
    public async Task<StockChangeResult> SetOnHand(SetOnHandRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filled = Stock.SetOnHand(Sku, request.Location, request.OnHand, request.Actor, request.Reason, FillExpiry());
        var alert = await WriteJournalAsync();
        return new StockChangeResult(View(), filled, alert);
    }

    public async Task<StockChangeResult> Adjust(AdjustStockRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filled = Stock.Adjust(Sku, request.Location, request.Delta, request.Actor, request.Reason, request.OrderId, FillExpiry());
        var alert = await WriteJournalAsync();
        return new StockChangeResult(View(), filled, alert);
    }

    public async Task<StockView> SetReorderThreshold(int? threshold)
    {
        Stock.SetReorderThreshold(Sku, threshold);
        await WriteJournalAsync();
        return View();
    }

    public async Task<ReservationOutcome> Reserve(ReserveStockRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        State.ReserveRate.Add(clock.GetUtcNow());
        var outcome = Stock.Reserve(Sku, request.OrderId, request.Quantity, request.ExpiresAt, request.AllowBackorder, request.Preferred);
        await WriteJournalAsync();
        return Named(outcome);
    }

    public async Task<StockRelease> Release(ReleaseStockRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (released, filled) = Stock.Release(Sku, request.OrderId, request.Reason, request.Actor, FillExpiry());
        await WriteJournalAsync();
        return new StockRelease(Sku, released, filled);
    }

    /// <summary>The order stops waiting for units of this SKU; what it holds stays held (input: the order id).</summary>
    public int LeaveQueue(string orderId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        return State.LeaveQueue(orderId);
    }

    public async Task<int> Commit(CommitStockRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var units = State.Commit(request.OrderId, request.FulfillmentId, request.Location, request.Quantity, $"order:{request.OrderId}");
        await WriteJournalAsync();
        return units;
    }

    public async Task<ReservationOutcome> Reroute(RerouteStockRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = Stock.Reroute(Sku, request.OrderId, request.FromLocation, request.Quantity, $"order:{request.OrderId}");
        await WriteJournalAsync();
        return Named(outcome);
    }

    /// <summary>Available units leave this shard for another shard of the SKU (a rebalance); returns what left per location.</summary>
    public async Task<IReadOnlyList<StockAllocation>> TakeAvailable(TakeShardStockRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var taken = State.TakeAvailable(request.Location, request.Max, request.Transfer, request.Actor);
        await WriteJournalAsync();
        return taken;
    }

    /// <summary>Units another shard of the SKU gave up arrive here; waiting orders are filled from them.</summary>
    public async Task<StockChangeResult> Receive(ReceiveShardStockRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filled = Stock.Receive(Sku, request.Units, request.Transfer, request.Actor, FillExpiry());
        var alert = await WriteJournalAsync();
        return new StockChangeResult(View(), filled, alert);
    }

    public bool Extend(ExtendReservationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return State.Extend(request.OrderId, request.ExpiresAt);
    }

    /// <summary>Sets the counters to the ledger's sums (repair after drift); the ledger itself is unchanged.</summary>
    public StockView Rebuild(RebuildStockRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        State.Rebuild(request.Locations.ToDictionary(l => l.Key, l => (l.Value.OnHand, l.Value.Reserved), StringComparer.Ordinal));
        return View();
    }

    public StockView Get() => View();

    /// <summary>
    /// A split SKU's own entity decides low stock on <paramref name="available"/>, the SKU's total over all its entities
    /// (<see cref="SkuInventory.DecideOnWholeSku"/>); returns the alert it raised, if any.
    /// </summary>
    public async Task<LowStockAlert?> DecideLowStock(int available)
    {
        State.DecideOnWholeSku(Sku, available);
        return await WriteJournalAsync();
    }

    protected override SkuInventory InitializeState(TaskEntityOperation entityOperation) => new();

    /// <summary>The SKU this entity holds stock of (its key, or the SKU of the shard it is).</summary>
    private string Sku => StockShards.SkuOf(Key);

    private string Key => Context.Id.Key;

    /// <summary>The state, told whether the SKU is split (then its own counts never decide a low-stock alert).</summary>
    private SkuInventory Stock
    {
        get
        {
            State.ThresholdOnWholeSku = inventory?.Value.ShardsOf(Sku) > 1;
            return State;
        }
    }

    private ReservationOutcome Named(ReservationOutcome outcome) => StockShards.IsShard(Key) ? outcome with { Shard = Key } : outcome;

    private DateTimeOffset FillExpiry() => clock.GetUtcNow() + options.Value.ReservationHold;

    private async Task<LowStockAlert?> WriteJournalAsync()
    {
        var (movements, alert) = State.TakeJournal();
        if (movements.Count == 0 && alert is null)
        {
            return null;
        }

        var available = State.Locations.ToDictionary(l => l.Key, l => Math.Max(l.Value.Available, 0), StringComparer.Ordinal);
        await journal.RecordAsync(new StockJournalEntry(Key, State.Sequence, clock.GetUtcNow(), movements, available, alert));
        return alert;
    }

    private StockView View() => StockView.Of(Sku, State);
}
