using System.Text.Json.Serialization;

namespace OrderFlow.Domain.Inventory;

/// <summary>
/// Stock of one SKU across locations, the reservations against it and the orders waiting for it. Every operation is
/// idempotent per order (and per fulfillment for commits) so a repeated message cannot reserve, release or commit
/// twice. Every counter change is also written to <see cref="Journal"/> as a <see cref="StockMovement"/>, numbered by
/// <see cref="Sequence"/>, so the ledger always sums to the counters. Only the SKU's entity mutates this.
/// Longer than 400 lines on purpose: every operation that changes a counter lives next to the others, so the
/// invariants (available = on hand - reserved, never negative, ledger = counters) are checked in one file.
/// </summary>
public sealed class SkuInventory
{
    private bool operationNumbered;

    public Dictionary<string, LocationStock> Locations { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, StockReservation> Reservations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Keys "fulfillmentId@location" already committed, so a replayed commit is a no-op.</summary>
    public HashSet<string> Committed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Orders waiting for units, oldest first; filled automatically when stock arrives.</summary>
    public List<Backorder> Backorders { get; set; } = [];

    /// <summary>
    /// Number of the last operation that moved stock (its ledger movements carry it). Only movements advance it, so every
    /// number below it has ledger rows written by the operation that kept it.
    /// </summary>
    public long Sequence { get; set; }

    /// <summary>The last place number given in the backorder queue (above every <see cref="Sequence"/> it was drawn after).</summary>
    public long QueueNumber { get; set; }

    /// <summary>Alert when available falls below this many units; null: no alerts.</summary>
    public int? ReorderThreshold { get; set; }

    /// <summary>True while available is below the threshold: the alert for this crossing was raised already.</summary>
    public bool BelowThreshold { get; set; }

    /// <summary>
    /// A split SKU's own entity: the last whole-SKU check (<see cref="DecideOnWholeSku"/>) found its total available below
    /// the threshold for the first time; the next check alerts if it still is.
    /// </summary>
    public bool LowOnLastCheck { get; set; }

    /// <summary>Reserve operations per clock minute (this entity's contention), read by the automatic split.</summary>
    public ReservationRate ReserveRate { get; set; } = new();

    /// <summary>
    /// Set by the entity when the SKU's stock is split across shards: its own counts are only part of the SKU, so it does
    /// not decide low stock on them; <see cref="DecideOnWholeSku"/> does, on the total of all its entities.
    /// </summary>
    [JsonIgnore]
    public bool ThresholdOnWholeSku { get; set; }

    /// <summary>Movements of the operations since the owner last took them (not persisted: the entity writes them out).</summary>
    [JsonIgnore]
    public List<StockMovement> Journal { get; } = [];

    /// <summary>The low-stock crossing raised by the last operations, until the owner takes it.</summary>
    [JsonIgnore]
    public LowStockAlert? PendingAlert { get; private set; }

    public int OnHand => Locations.Values.Sum(l => l.OnHand);

    public int Reserved => Locations.Values.Sum(l => l.Reserved);

    public int Available => Locations.Values.Sum(l => Math.Max(l.Available, 0));

    public int BackorderedUnits => Backorders.Sum(b => b.Quantity);

    /// <summary>Takes (and clears) the movements and alert written since the last call.</summary>
    public (IReadOnlyList<StockMovement> Movements, LowStockAlert? Alert) TakeJournal()
    {
        var movements = Journal.ToList();
        var alert = PendingAlert;
        Journal.Clear();
        PendingAlert = null;
        return (movements, alert);
    }

    /// <summary>Sets the counted on-hand quantity at a location (a stock count). Waiting orders are filled from any increase.</summary>
    public IReadOnlyList<BackorderFill> SetOnHand(string sku, string location, int onHand, string actor, string reason, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        ArgumentOutOfRangeException.ThrowIfNegative(onHand);
        Begin();
        var stock = Stock(location);
        var delta = onHand - stock.OnHand;
        if (delta != 0)
        {
            stock.OnHand = onHand;
            Move(location, delta, 0, reason, null, null, actor);
        }

        return AfterChange(sku, expiresAt);
    }

    /// <summary>Adds (receipt, resellable return) or removes (write-off) units at a location; on hand never goes below zero.</summary>
    public IReadOnlyList<BackorderFill> Adjust(string sku, string location, int delta, string actor, string reason, string? orderId, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        Begin();
        var stock = Stock(location);
        if (stock.OnHand + delta < 0)
        {
            throw new InvalidOperationException($"{location} has {stock.OnHand} unit(s) of {sku}; cannot remove {-delta}.");
        }

        if (delta != 0)
        {
            stock.OnHand += delta;
            Move(location, delta, 0, reason, orderId, null, actor);
        }

        return AfterChange(sku, expiresAt);
    }

    /// <summary>Sets (or clears, with null) the reorder threshold; a SKU already below it alerts now.</summary>
    public void SetReorderThreshold(string sku, int? threshold)
    {
        if (threshold is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "A reorder threshold is 0 or more units.");
        }

        Begin();
        ReorderThreshold = threshold;
        BelowThreshold = false;
        EvaluateThreshold(sku);
    }

    /// <summary>
    /// Reserves <paramref name="quantity"/> units for an order. Without <paramref name="allowBackorder"/> it is all or
    /// nothing. With it, what exists is reserved and the rest joins the backorder queue (behind earlier orders).
    /// Locations: the <paramref name="preferred"/> allocation (a routing decision) when it is still available, else one
    /// location covering everything (most available first), else split. A second call for the same order returns the
    /// existing reservation and backorder.
    /// </summary>
    public ReservationOutcome Reserve(
        string sku, string orderId, int quantity, DateTimeOffset expiresAt, bool allowBackorder = false, IReadOnlyList<StockAllocation>? preferred = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        var waiting = Backorders.FirstOrDefault(b => b.OrderId == orderId);
        if (Reservations.TryGetValue(orderId, out var existing) || waiting is not null)
        {
            var held = existing?.Allocations.ToList() ?? [];
            return new ReservationOutcome(sku, true, quantity, Available, held, waiting?.Quantity ?? 0);
        }

        Begin();
        var available = Available;
        if (available < quantity && !allowBackorder)
        {
            return new ReservationOutcome(sku, false, quantity, available, []);
        }

        var take = Math.Min(available, quantity);
        var allocations = take > 0 ? Allocate(take, preferred) : [];
        if (allocations.Count > 0)
        {
            Hold(orderId, allocations, expiresAt, StockReasons.Reserve);
        }

        var backordered = quantity - take;
        if (backordered > 0)
        {
            Backorders.Add(new Backorder { OrderId = orderId, Quantity = backordered, Sequence = NextQueueNumber() });
        }

        EvaluateThreshold(sku);
        return new ReservationOutcome(sku, true, quantity, Available, allocations, backordered, PendingAlert);
    }

    /// <summary>
    /// Releases an order's uncommitted reservation and its place in the backorder queue; the freed units go to the
    /// oldest waiting orders. Returns the units released (0 when none) and the orders filled.
    /// </summary>
    public (int Released, IReadOnlyList<BackorderFill> Filled) Release(string sku, string orderId, string reason, string actor, DateTimeOffset expiresAt)
    {
        Begin();
        Backorders.RemoveAll(b => b.OrderId == orderId);
        if (!Reservations.Remove(orderId, out var reservation))
        {
            return (0, []);
        }

        foreach (var a in reservation.Allocations)
        {
            Stock(a.Location).Reserved -= a.Quantity;
            Move(a.Location, 0, -a.Quantity, reason, orderId, null, actor);
        }

        return (reservation.Quantity, AfterChange(sku, expiresAt));
    }

    /// <summary>
    /// Takes the order out of the backorder queue and keeps every unit it holds (reserved or handed to a location):
    /// the units it was still waiting for are no longer wanted. Returns the units that were waiting (0 when none).
    /// No counter changes, so nothing is freed for others.
    /// </summary>
    public int LeaveQueue(string orderId)
    {
        var waiting = Backorders.Where(b => b.OrderId == orderId).Sum(b => b.Quantity);
        Backorders.RemoveAll(b => b.OrderId == orderId);
        return waiting;
    }

    /// <summary>
    /// Commits units of the order's reservation at one location when a shipment is confirmed: they leave on-hand and
    /// reserved together. Once per fulfillment and location; returns the units committed (0 when already committed or
    /// nothing reserved there). <paramref name="quantity"/> null commits everything reserved there.
    /// </summary>
    public int Commit(string orderId, string fulfillmentId, string location, int? quantity, string actor)
    {
        var key = $"{fulfillmentId}@{location}";
        if (Committed.Contains(key) || !Reservations.TryGetValue(orderId, out var reservation))
        {
            return 0;
        }

        var allocation = reservation.Allocations.FirstOrDefault(a => a.Location == location);
        if (allocation is null)
        {
            return 0;
        }

        Begin();
        var units = Math.Min(quantity ?? allocation.Quantity, allocation.Quantity);
        var stock = Stock(location);
        stock.Reserved -= units;
        stock.OnHand -= units;
        Move(location, -units, -units, StockReasons.Commit, orderId, fulfillmentId, actor);
        TakeFrom(reservation, allocation, units);

        Committed.Add(key);
        return units;
    }

    /// <summary>
    /// Moves <paramref name="quantity"/> of the order's reserved units away from <paramref name="fromLocation"/> (it
    /// rejected or came up short) to other locations with available stock, most available first, all or nothing.
    /// Returns the new allocations, or a failed outcome naming what is available elsewhere (nothing changes then).
    /// </summary>
    public ReservationOutcome Reroute(string sku, string orderId, string fromLocation, int quantity, string actor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        var elsewhere = Locations.Where(l => l.Key != fromLocation).Sum(l => Math.Max(l.Value.Available, 0));
        if (!Reservations.TryGetValue(orderId, out var reservation)
            || reservation.Allocations.FirstOrDefault(a => a.Location == fromLocation) is not { } held
            || held.Quantity < quantity
            || elsewhere < quantity)
        {
            return new ReservationOutcome(sku, false, quantity, elsewhere, []);
        }

        Begin();
        var moved = Allocate(quantity, null, fromLocation);
        Stock(fromLocation).Reserved -= quantity;
        Move(fromLocation, 0, -quantity, StockReasons.Reroute, orderId, null, actor);
        TakeFrom(reservation, held, quantity);
        Hold(orderId, moved, reservation.ExpiresAt, StockReasons.Reroute);
        EvaluateThreshold(sku);
        return new ReservationOutcome(sku, true, quantity, Available, moved, 0, PendingAlert);
    }

    /// <summary>
    /// Sets the counters to what the ledger says (a repair after drift). Writes no movement: the ledger is the truth
    /// being restored. Reservations are kept; their sum per location should match the ledger's reserved.
    /// </summary>
    public void Rebuild(IReadOnlyDictionary<string, (int OnHand, int Reserved)> fromLedger)
    {
        ArgumentNullException.ThrowIfNull(fromLedger);
        foreach (var location in Locations.Keys.Union(fromLedger.Keys, StringComparer.Ordinal).ToList())
        {
            var (onHand, reserved) = fromLedger.TryGetValue(location, out var counted) ? counted : (0, 0);
            var stock = Stock(location);
            stock.OnHand = onHand;
            stock.Reserved = reserved;
        }
    }

    /// <summary>Reservations whose hold has passed <paramref name="now"/> (candidates for the reaper).</summary>
    public IReadOnlyList<StockReservation> ExpiredAt(DateTimeOffset now) =>
        Reservations.Values.Where(r => r.ExpiresAt <= now).OrderBy(r => r.OrderId, StringComparer.Ordinal).ToList();

    /// <summary>Moves the order's reservation deadline (the order is still alive).</summary>
    public bool Extend(string orderId, DateTimeOffset expiresAt)
    {
        if (!Reservations.TryGetValue(orderId, out var reservation))
        {
            return false;
        }

        reservation.ExpiresAt = expiresAt;
        return true;
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> available units (not reserved) out of on-hand for a move to another shard of the
    /// SKU (<see cref="StockShards"/>), most available location first, or only <paramref name="location"/>. Returns what
    /// left per location; the caller hands exactly that to <see cref="Receive"/> on the other shard. No low-stock check:
    /// the SKU's stock does not change.
    /// </summary>
    public IReadOnlyList<StockAllocation> TakeAvailable(string? location, int max, string transfer, string actor)
    {
        Begin();
        var taken = new List<StockAllocation>();
        var left = max;
        foreach (var (name, stock) in Locations
            .Where(l => (location is null || l.Key == location) && l.Value.Available > 0)
            .OrderByDescending(l => l.Value.Available).ThenBy(l => l.Key, StringComparer.Ordinal).ToList())
        {
            var units = Math.Min(stock.Available, left);
            if (units <= 0)
            {
                break;
            }

            stock.OnHand -= units;
            left -= units;
            Move(name, -units, 0, $"{StockReasons.ShardOut} {transfer}", null, null, actor);
            taken.Add(new StockAllocation(name, units));
        }

        return taken;
    }

    /// <summary>Adds units another shard of the SKU gave up (<see cref="TakeAvailable"/>); waiting orders are filled from them.</summary>
    public IReadOnlyList<BackorderFill> Receive(string sku, IReadOnlyList<StockAllocation> units, string transfer, string actor, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(units);
        Begin();
        foreach (var unit in units.Where(u => u.Quantity > 0))
        {
            Stock(unit.Location).OnHand += unit.Quantity;
            Move(unit.Location, unit.Quantity, 0, $"{StockReasons.ShardIn} {transfer}", null, null, actor);
        }

        return AfterChange(sku, expiresAt);
    }

    private IReadOnlyList<BackorderFill> AfterChange(string sku, DateTimeOffset expiresAt)
    {
        var filled = FillBackorders(expiresAt);
        EvaluateThreshold(sku);
        return filled;
    }

    /// <summary>Gives available units to waiting orders, oldest first (a partly filled order keeps its place).</summary>
    private List<BackorderFill> FillBackorders(DateTimeOffset expiresAt)
    {
        var filled = new List<BackorderFill>();
        while (Backorders.Count > 0 && Available > 0)
        {
            var head = Backorders.OrderBy(b => b.Sequence).First();
            var take = Math.Min(head.Quantity, Available);
            var allocations = Allocate(take, null);
            Hold(head.OrderId, allocations, expiresAt, StockReasons.BackorderFill);
            head.Quantity -= take;
            if (head.Quantity == 0)
            {
                Backorders.Remove(head);
            }

            filled.Add(new BackorderFill(head.OrderId, take, head.Quantity, allocations));
        }

        return filled;
    }

    /// <summary>Takes <paramref name="units"/> out of one of the reservation's allocations; an emptied reservation goes.</summary>
    private void TakeFrom(StockReservation reservation, StockAllocation allocation, int units)
    {
        reservation.Allocations.Remove(allocation);
        if (units < allocation.Quantity)
        {
            reservation.Allocations.Add(allocation with { Quantity = allocation.Quantity - units });
        }

        if (reservation.Allocations.Count == 0)
        {
            Reservations.Remove(reservation.OrderId);
        }
    }

    private void Hold(string orderId, IReadOnlyList<StockAllocation> allocations, DateTimeOffset expiresAt, string reason)
    {
        if (!Reservations.TryGetValue(orderId, out var reservation))
        {
            reservation = new StockReservation { OrderId = orderId, ExpiresAt = expiresAt };
            Reservations[orderId] = reservation;
        }

        foreach (var a in allocations)
        {
            Stock(a.Location).Reserved += a.Quantity;
            Move(a.Location, 0, a.Quantity, reason, orderId, null, StockReasons.System);
            var same = reservation.Allocations.FirstOrDefault(x => x.Location == a.Location);
            if (same is null)
            {
                reservation.Allocations.Add(a);
            }
            else
            {
                reservation.Allocations[reservation.Allocations.IndexOf(same)] = same with { Quantity = same.Quantity + a.Quantity };
            }
        }

        reservation.ExpiresAt = expiresAt > reservation.ExpiresAt ? expiresAt : reservation.ExpiresAt;
    }

    /// <summary>Where <paramref name="quantity"/> available units come from: the preferred allocation when it still holds, else most available first, never <paramref name="excluded"/>.</summary>
    private List<StockAllocation> Allocate(int quantity, IReadOnlyList<StockAllocation>? preferred, string? excluded = null)
    {
        if (preferred is { Count: > 0 }
            && preferred.Sum(p => p.Quantity) == quantity
            && preferred.All(p => p.Quantity > 0 && Locations.TryGetValue(p.Location, out var s) && s.Available >= p.Quantity)
            && preferred.Select(p => p.Location).Distinct(StringComparer.Ordinal).Count() == preferred.Count)
        {
            return [.. preferred];
        }

        var ordered = Locations
            .Where(l => l.Value.Available > 0 && l.Key != excluded)
            .OrderByDescending(l => l.Value.Available)
            .ThenBy(l => l.Key, StringComparer.Ordinal)
            .ToList();

        var single = ordered.FirstOrDefault(l => l.Value.Available >= quantity);
        if (single.Value is not null)
        {
            return [new StockAllocation(single.Key, quantity)];
        }

        var allocations = new List<StockAllocation>();
        var remaining = quantity;
        foreach (var (location, stock) in ordered)
        {
            var take = Math.Min(stock.Available, remaining);
            allocations.Add(new StockAllocation(location, take));
            remaining -= take;
            if (remaining == 0)
            {
                break;
            }
        }

        return allocations;
    }

    /// <summary>
    /// A split SKU's low-stock decision on <paramref name="available"/>, the total of all its entities (read after the
    /// rebalance's moves). A first reading below the threshold is only noted; a second one in a row raises the alert, so
    /// units in flight between two shards at one reading (an order's gather, a count) never alert on their own.
    /// </summary>
    public void DecideOnWholeSku(string sku, int available)
    {
        Begin();
        if (ReorderThreshold is { } threshold && available < threshold && !BelowThreshold && !LowOnLastCheck)
        {
            LowOnLastCheck = true;
            return;
        }

        LowOnLastCheck = false;
        CrossThreshold(sku, available);
    }

    private void EvaluateThreshold(string sku)
    {
        if (!ThresholdOnWholeSku)
        {
            CrossThreshold(sku, Available);
        }
    }

    private void CrossThreshold(string sku, int available)
    {
        if (ReorderThreshold is not { } threshold)
        {
            return;
        }

        if (available < threshold && !BelowThreshold)
        {
            BelowThreshold = true;
            NumberOperation();
            PendingAlert = new LowStockAlert(sku, Sequence, available, threshold);
        }
        else if (available >= threshold)
        {
            BelowThreshold = false;
        }
    }

    /// <summary>
    /// A queue place that sorts after every earlier one. Not drawn from <see cref="Sequence"/>: an operation that only
    /// queues writes no ledger row, and a sequence number without rows could keep rows an abandoned run of another
    /// operation wrote under it (a host killed between the ledger write and saving the state).
    /// </summary>
    private long NextQueueNumber()
    {
        QueueNumber = Math.Max(QueueNumber, Sequence) + 1;
        return QueueNumber;
    }

    private void Begin() => operationNumbered = false;

    private void NumberOperation()
    {
        if (!operationNumbered)
        {
            Sequence++;
            operationNumbered = true;
        }
    }

    private void Move(string location, int onHandDelta, int reservedDelta, string reason, string? orderId, string? fulfillmentId, string actor)
    {
        NumberOperation();
        Journal.Add(new StockMovement(Sequence, location, onHandDelta, reservedDelta, reason, orderId, fulfillmentId, actor));
    }

    private LocationStock Stock(string location)
    {
        if (!Locations.TryGetValue(location, out var stock))
        {
            stock = new LocationStock();
            Locations[location] = stock;
        }

        return stock;
    }
}
