using OrderFlow.Domain.Common;
using OrderFlow.Domain.Returns;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Reads what <see cref="ReturnPolicy"/> needs from a stored order and its returns (the HTTP check and the workflow's
/// authorization use the same reading).
/// </summary>
public static class ReturnFactsReader
{
    /// <summary>Fulfillment statuses of parcels that left a location (workflow and carrier tracking statuses).</summary>
    private static readonly HashSet<string> LeftLocation = new(StringComparer.Ordinal)
    {
        FulfillmentConfirmation.Shipped, "in-transit", "out-for-delivery", "delivered", "delivery-exception",
    };

    /// <summary>
    /// Shipped units per SKU, units claimed by the order's other returns, and when the window starts: the last
    /// delivery of a shipped parcel, else its last shipment, else the order's completion (all from the timeline).
    /// </summary>
    public static ReturnFacts Facts(OrderRecord order, IEnumerable<ReturnRecord> returns, string? exceptReturnId)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(returns);
        var shippedParcels = order.Fulfillments.Where(f => LeftLocation.Contains(f.Status)).ToList();
        var shipped = shippedParcels.SelectMany(f => f.Lines)
            .GroupBy(l => l.Sku, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity), StringComparer.Ordinal);
        var returned = Others(returns, exceptReturnId).SelectMany(r => r.Lines)
            .GroupBy(l => l.Sku, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity), StringComparer.Ordinal);

        var ids = shippedParcels.Select(f => f.FulfillmentId).ToList();
        DateTimeOffset? Last(Func<TimelineEntry, bool> match) =>
            order.Timeline.Where(match).Select(t => (DateTimeOffset?)t.At).DefaultIfEmpty(null).Max();
        var from = Last(t => ids.Any(id => t.Message.StartsWith($"{id} is delivered", StringComparison.Ordinal)))
            ?? Last(t => ids.Any(id => t.Message.StartsWith($"{id} is {FulfillmentConfirmation.Shipped}", StringComparison.Ordinal)))
            ?? (shippedParcels.Count > 0
                ? Last(t => t.Kind == "status" && (t.Message.Contains("-> Fulfilled", StringComparison.Ordinal) || t.Message.Contains("-> PartiallyFulfilled", StringComparison.Ordinal)))
                : null);
        return new ReturnFacts(from, shipped, returned);
    }

    /// <summary>Unit prices (first order line per SKU), order amounts, and whether an earlier return already refunded shipping.</summary>
    public static ReturnPricing Pricing(OrderRecord order, IEnumerable<ReturnRecord> returns, string? exceptReturnId)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(returns);
        var prices = new Dictionary<string, Money>(StringComparer.Ordinal);
        foreach (var line in order.Order.Lines)
        {
            prices.TryAdd(line.Sku, line.UnitPrice);
        }

        var t = order.Order.Totals;
        return new ReturnPricing(prices, t.Subtotal, t.Tax, t.Shipping, !Others(returns, exceptReturnId).Any(r => r.RefundedShipping));
    }

    private static IEnumerable<ReturnRecord> Others(IEnumerable<ReturnRecord> returns, string? exceptReturnId) =>
        returns.Where(r => r.Counts && !string.Equals(r.ReturnId, exceptReturnId, StringComparison.Ordinal));
}
