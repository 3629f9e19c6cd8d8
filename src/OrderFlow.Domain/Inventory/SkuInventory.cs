namespace OrderFlow.Domain.Inventory;

/// <summary>
/// Stock of one SKU across locations and the reservations against it. Every operation is idempotent per
/// order id so a repeated message cannot reserve or commit twice. Only the SKU's entity mutates this.
/// </summary>
public sealed class SkuInventory
{
    public Dictionary<string, LocationStock> Locations { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, StockReservation> Reservations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Keys "orderId@location" already committed, so a replayed commit is a no-op.</summary>
    public HashSet<string> Committed { get; set; } = new(StringComparer.Ordinal);

    public int OnHand => Locations.Values.Sum(l => l.OnHand);

    public int Reserved => Locations.Values.Sum(l => l.Reserved);

    public int Available => Locations.Values.Sum(l => Math.Max(l.Available, 0));

    /// <summary>Sets the counted on-hand quantity at a location (a stock count or receipt).</summary>
    public void SetOnHand(string location, int onHand)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        ArgumentOutOfRangeException.ThrowIfNegative(onHand);
        Stock(location).OnHand = onHand;
    }

    /// <summary>
    /// Reserves <paramref name="quantity"/> units for an order, all or nothing: from one location when one can
    /// cover it (most available first), otherwise split across locations. A second call for the same order
    /// returns the existing reservation.
    /// </summary>
    public ReservationOutcome Reserve(string sku, string orderId, int quantity, DateTimeOffset expiresAt)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        if (Reservations.TryGetValue(orderId, out var existing))
        {
            return new ReservationOutcome(sku, true, existing.Quantity, Available, existing.Allocations);
        }

        var available = Available;
        if (available < quantity)
        {
            return new ReservationOutcome(sku, false, quantity, available, []);
        }

        var ordered = Locations
            .Where(l => l.Value.Available > 0)
            .OrderByDescending(l => l.Value.Available)
            .ThenBy(l => l.Key, StringComparer.Ordinal)
            .ToList();

        var allocations = new List<StockAllocation>();
        var single = ordered.FirstOrDefault(l => l.Value.Available >= quantity);
        if (single.Value is not null)
        {
            allocations.Add(new StockAllocation(single.Key, quantity));
        }
        else
        {
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
        }

        foreach (var a in allocations)
        {
            Locations[a.Location].Reserved += a.Quantity;
        }

        Reservations[orderId] = new StockReservation { OrderId = orderId, Allocations = allocations, ExpiresAt = expiresAt };
        return new ReservationOutcome(sku, true, quantity, Available, allocations);
    }

    /// <summary>Releases an order's uncommitted reservation. Returns the units released (0 when none).</summary>
    public int Release(string orderId)
    {
        if (!Reservations.Remove(orderId, out var reservation))
        {
            return 0;
        }

        foreach (var a in reservation.Allocations)
        {
            Stock(a.Location).Reserved -= a.Quantity;
        }

        return reservation.Quantity;
    }

    /// <summary>
    /// Commits the order's reservation at one location when its shipment is confirmed: the units leave on-hand
    /// and reserved together. Returns the units committed (0 when already committed or nothing reserved there).
    /// </summary>
    public int Commit(string orderId, string location)
    {
        var key = $"{orderId}@{location}";
        if (Committed.Contains(key) || !Reservations.TryGetValue(orderId, out var reservation))
        {
            return 0;
        }

        var allocation = reservation.Allocations.FirstOrDefault(a => a.Location == location);
        if (allocation is null)
        {
            return 0;
        }

        var stock = Stock(location);
        stock.Reserved -= allocation.Quantity;
        stock.OnHand -= allocation.Quantity;
        reservation.Allocations.Remove(allocation);
        if (reservation.Allocations.Count == 0)
        {
            Reservations.Remove(orderId);
        }

        Committed.Add(key);
        return allocation.Quantity;
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
