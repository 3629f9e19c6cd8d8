using System.Globalization;

namespace OrderFlow.Domain.Inventory;

/// <summary>
/// A purchase-order suggestion for a SKU that fell below its reorder threshold: order enough to cover the lead time and
/// the chosen cover period at the recent sales rate, on top of the threshold kept as safety stock.
/// <c>orderUpTo = threshold + ceil(unitsSold / windowDays × (leadTimeDays + coverDays))</c>; with no sales in the
/// window it is twice the threshold (the threshold alone would alert again at once). The suggested quantity is what
/// brings the available units up to that level, at least one unit.
/// </summary>
/// <param name="Quantity">Units to order.</param>
/// <param name="OrderUpTo">The available level the order restores.</param>
/// <param name="UnitsSold">Units committed to shipments in the window (the sales rate's evidence).</param>
public sealed record ReorderSuggestion(
    int Quantity, int OrderUpTo, int Available, int Threshold, int UnitsSold, int WindowDays, int LeadTimeDays, int CoverDays)
{
    public static ReorderSuggestion Compute(int available, int threshold, int unitsSold, int windowDays, int leadTimeDays, int coverDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfNegative(unitsSold);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowDays);
        ArgumentOutOfRangeException.ThrowIfNegative(leadTimeDays);
        ArgumentOutOfRangeException.ThrowIfNegative(coverDays);

        // long arithmetic: a large SKU's sales over a long lead time must not wrap; the result is capped at int.MaxValue.
        long demand = unitsSold == 0 ? threshold : ((long)unitsSold * (leadTimeDays + coverDays) + windowDays - 1) / windowDays;
        var orderUpTo = (int)Math.Min(int.MaxValue, threshold + demand);
        var quantity = (int)Math.Max(1, Math.Min(int.MaxValue, (long)orderUpTo - Math.Max(available, 0)));
        return new ReorderSuggestion(quantity, orderUpTo, available, threshold, unitsSold, windowDays, leadTimeDays, coverDays);
    }

    /// <summary>One sentence a buyer can check by hand.</summary>
    public string Explain()
    {
        var c = CultureInfo.InvariantCulture;
        var demand = OrderUpTo - Threshold;
        var basis = UnitsSold == 0
            ? string.Create(c, $"No units sold in the last {WindowDays} days, so the suggestion restores twice the reorder threshold ({Threshold} + {demand})")
            : string.Create(c, $"{UnitsSold} units sold in the last {WindowDays} days ({(double)UnitsSold / WindowDays:0.##}/day) × ({LeadTimeDays} days lead time + {CoverDays} days cover) = {demand} units, plus the reorder threshold {Threshold}");
        return string.Create(c, $"{basis}: order up to {OrderUpTo}; {Available} available now, so order {Quantity}.");
    }
}
