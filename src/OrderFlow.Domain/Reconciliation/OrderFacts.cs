using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Domain.Reconciliation;

/// <summary>
/// What the order store says about one finished order: its lines and totals, the units that shipped, and the units
/// received back through returns (restocked or written off by condition) with their value at the order's prices.
/// </summary>
/// <param name="ShippedUnits">Units per SKU in fulfillments that shipped.</param>
/// <param name="ReturnedUnits">Units received back; zero until returns record them.</param>
/// <param name="ReturnedValue">What <paramref name="ReturnedUnits"/> are worth (tax included); zero until returns record them.</param>
public sealed record OrderFacts(
    string OrderId,
    string Currency,
    OrderTotals Totals,
    IReadOnlyList<LineItem> Lines,
    IReadOnlyDictionary<string, int> ShippedUnits,
    int ReturnedUnits,
    Money ReturnedValue)
{
    public int OrderedUnitCount => Lines.Sum(l => l.Quantity);

    public int ShippedUnitCount => ShippedUnits.Values.Sum();
}
