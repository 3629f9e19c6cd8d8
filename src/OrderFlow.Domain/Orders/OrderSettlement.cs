using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Orders;

/// <summary>
/// The money of an order once fulfillment is known: what goods are worth at the ordered prices (a substitute is
/// valued as the item it stands for), the tax share of goods that did not ship, what is withheld from capture and
/// refunded, what each shipped parcel captures and what is booked. Integer minor units throughout; a share is rounded
/// toward zero and the final capture takes whatever remains, so the captures add up to the total less what is withheld.
/// </summary>
public sealed class OrderSettlement
{
    private readonly IReadOnlyList<(string Sku, Money UnitPrice)> prices;

    /// <param name="totals">The order's totals.</param>
    /// <param name="currency">The order's currency: every amount is in it; a price in another currency is refused.</param>
    /// <param name="prices">The order's lines as SKU and unit price; a SKU on several lines is valued at its first line's price.</param>
    public OrderSettlement(OrderTotals totals, string currency, IEnumerable<(string Sku, Money UnitPrice)> prices)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(prices);
        this.Totals = totals;
        this.Currency = currency;
        this.prices = prices.ToList();
    }

    public OrderTotals Totals { get; }

    public string Currency { get; }

    /// <summary>
    /// Value of units of the order's SKUs at the ordered unit price (the first line of that SKU).
    /// </summary>
    /// <exception cref="InvalidOperationException">A SKU the order does not have, or a price in another currency.</exception>
    public Money ValueOf(IEnumerable<(string Sku, int Quantity)> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var total = Money.Zero(this.Currency);
        foreach (var (sku, quantity) in units)
        {
            var price = this.prices.First(p => p.Sku == sku).UnitPrice;
            total += price.Times(quantity);
        }

        return total;
    }

    /// <summary>
    /// The tax that goes with <paramref name="notShipped"/> goods: tax x notShipped / subtotal, rounded toward zero;
    /// nothing when the subtotal is zero.
    /// </summary>
    public Money TaxShareOf(Money notShipped) => new(
        this.Totals.Subtotal.MinorUnits == 0 ? 0 : this.Totals.Tax.MinorUnits * notShipped.MinorUnits / this.Totals.Subtotal.MinorUnits,
        this.Currency);

    /// <summary>What is neither captured nor kept for goods that did not ship: their value and their tax share.</summary>
    public Money Withheld(Money notShipped) => notShipped + this.TaxShareOf(notShipped);

    /// <summary>The subtotal booked as sold: the goods that shipped.</summary>
    public Money BookedSubtotal(Money notShipped) => this.Totals.Subtotal - notShipped;

    /// <summary>The tax booked as sold: the tax less the share of goods that did not ship.</summary>
    public Money BookedTax(Money notShipped) => this.Totals.Tax - this.TaxShareOf(notShipped);

    /// <summary>
    /// What the order owes while <paramref name="withheld"/> is not going to ship: the total less it, never below zero
    /// nor above the total. It is the one capture of an authorization that a first capture finalises.
    /// </summary>
    public Money Owed(Money withheld)
    {
        var owed = this.Totals.Total - withheld;
        return owed.MinorUnits < 0 ? Money.Zero(this.Currency) : owed.MinorUnits > this.Totals.Total.MinorUnits ? this.Totals.Total : owed;
    }

    /// <summary>
    /// What goes back to the customer of <paramref name="captured"/> once <paramref name="withheld"/> is known not to
    /// ship: the capture less what the order owes now, never below zero nor above what was captured. A single capture
    /// taken for the whole order before some goods were given up is settled this way.
    /// </summary>
    public Money OverCaptured(Money captured, Money withheld)
    {
        var over = captured - this.Owed(withheld);
        return over.MinorUnits < 0 ? Money.Zero(this.Currency) : over.MinorUnits > captured.MinorUnits ? captured : over;
    }

    /// <summary>
    /// One capture per parcel, in order. Each parcel captures the value of its units; when <paramref name="final"/>, the
    /// last parcel instead captures the rest: the total less <paramref name="capturedSoFar"/>, less the parcels before it,
    /// less <paramref name="withheld"/> (so shipping and tax are captured with it).
    /// </summary>
    public IReadOnlyList<ParcelCapture> Captures(
        IReadOnlyList<(string FulfillmentId, IEnumerable<(string Sku, int Quantity)> Units)> parcels, Money capturedSoFar, Money withheld, bool final)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        var captures = new List<ParcelCapture>(parcels.Count);
        var captured = capturedSoFar;
        for (var i = 0; i < parcels.Count; i++)
        {
            var last = final && i == parcels.Count - 1;
            var amount = last ? this.Totals.Total - captured - withheld : this.ValueOf(parcels[i].Units);
            captures.Add(new ParcelCapture(parcels[i].FulfillmentId, amount, last));
            captured += amount;
        }

        return captures;
    }
}
