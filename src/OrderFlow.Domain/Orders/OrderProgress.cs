using OrderFlow.Domain.Common;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Routing;

namespace OrderFlow.Domain.Orders;

/// <summary>
/// Where one order stands while its workflow runs: what is held (reservations, substitutes, backorders, digital units),
/// what will not ship (cancelled lines), what was planned and shipped, and what was captured so far.
/// </summary>
public sealed class OrderProgress
{
    public OrderProgress(string currency) => this.CapturedSoFar = Money.Zero(currency);

    /// <summary>Reservations of the current attempt (one per reserved SKU).</summary>
    public List<ReservationOutcome> Reservations { get; } = [];

    /// <summary>Order SKU -> the SKU reserved and shipped in its place (Substitute policy).</summary>
    public Dictionary<string, string> Substitutions { get; } = new(StringComparer.Ordinal);

    /// <summary>Units per SKU still waiting for stock (Backorder policy).</summary>
    public Dictionary<string, int> Backorders { get; } = new(StringComparer.Ordinal);

    /// <summary>Digital units per SKU: no stock, no shipment.</summary>
    public Dictionary<string, int> DigitalUnits { get; } = new(StringComparer.Ordinal);

    /// <summary>Units per order SKU that will not ship: lines cancelled by the Cancel policy, a person, or after a backorder gave up.</summary>
    public Dictionary<string, int> CancelledUnits { get; } = new(StringComparer.Ordinal);

    /// <summary>Units per order SKU a line cancellation removed before they were reserved.</summary>
    public Dictionary<string, int> LinesCancelledEarly { get; } = new(StringComparer.Ordinal);

    /// <summary>Every fulfillment planned so far, over all waves (the first shipment and each backorder wave).</summary>
    public List<PlannedFulfillment> AllPlans { get; } = [];

    /// <summary>Fulfillments already captured (each is captured once).</summary>
    public HashSet<string> CapturedFulfillments { get; } = new(StringComparer.Ordinal);

    /// <summary>What auth-then-capture took so far.</summary>
    public Money CapturedSoFar { get; set; }

    /// <summary>The number the next planned fulfillment gets.</summary>
    public int NextFulfillment { get; set; } = 1;

    /// <summary>Set once something shipped (or was delivered digitally).</summary>
    public bool AnyShipped { get; set; }

    /// <summary>The order's SKU a shipped SKU stands for (itself, or the SKU it substitutes).</summary>
    public string OrderSku(string sku) => this.Substitutions.FirstOrDefault(x => x.Value == sku).Key ?? sku;

    /// <summary>Lines as units of the order's SKUs (a substitute counts as the item it stands for).</summary>
    public IEnumerable<(string Sku, int Quantity)> OrderUnits(IEnumerable<FulfillmentLine> lines) =>
        lines.Select(l => (this.OrderSku(l.Sku), l.Quantity));

    /// <summary>Takes <paramref name="count"/> fulfillment numbers at once and returns the first.</summary>
    public int TakeFulfillmentNumbers(int count)
    {
        var first = this.NextFulfillment;
        this.NextFulfillment += count;
        return first;
    }

    /// <summary>Adds units of a (possibly substitute) SKU to the cancelled units of the order SKU it stands for.</summary>
    public void CancelUnits(string sku, int units)
    {
        var orderSku = this.OrderSku(sku);
        this.CancelledUnits[orderSku] = this.CancelledUnits.GetValueOrDefault(orderSku) + units;
    }

    /// <summary>Forgets what a reservation attempt decided; only the lines a person cancelled early stay cancelled.</summary>
    public void ResetReservation()
    {
        this.Reservations.Clear();
        this.Substitutions.Clear();
        this.Backorders.Clear();
        this.CancelledUnits.Clear();
        foreach (var (sku, units) in this.LinesCancelledEarly)
        {
            this.CancelledUnits[sku] = units;
        }
    }

    /// <summary>Planned fulfillments that are not among <paramref name="shipped"/>.</summary>
    public List<PlannedFulfillment> Unshipped(IEnumerable<PlannedFulfillment> shipped) =>
        this.AllPlans.Where(p => !shipped.Contains(p)).ToList();

    /// <summary>Units of the order's SKUs that did not ship: the lines of <paramref name="unshipped"/>, then the cancelled units.</summary>
    public IEnumerable<(string Sku, int Quantity)> NotShippedUnits(IEnumerable<PlannedFulfillment> unshipped) =>
        this.OrderUnits(unshipped.SelectMany(p => p.Lines)).Concat(this.CancelledUnits.Select(c => (c.Key, c.Value)));

    /// <summary>True when every planned fulfillment shipped and no unit was cancelled.</summary>
    public bool IsComplete(IReadOnlyCollection<PlannedFulfillment> unshipped) => unshipped.Count == 0 && this.CancelledUnits.Count == 0;
}
