using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Domain.Routing;

/// <summary>
/// Turns the reserved allocation into fulfillments: one per location, consuming exactly what was reserved there
/// (never "available somewhere, shipped from elsewhere").
/// </summary>
public static class RoutingPolicy
{
    public static IReadOnlyList<PlannedFulfillment> Plan(string orderId, IEnumerable<ReservationOutcome> reservations, int firstNumber = 1)
    {
        var byLocation = reservations
            .Where(r => r.Succeeded)
            .SelectMany(r => r.Allocations.Select(a => (r.Sku, a.Location, a.Quantity)))
            .GroupBy(x => x.Location, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();

        var plans = new List<PlannedFulfillment>(byLocation.Count);
        for (var i = 0; i < byLocation.Count; i++)
        {
            var lines = byLocation[i]
                .GroupBy(x => x.Sku, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new FulfillmentLine(g.Key, g.Sum(x => x.Quantity)))
                .ToList();
            plans.Add(new PlannedFulfillment(OrderIds.Fulfillment(orderId, firstNumber + i), byLocation[i].Key, lines));
        }

        return plans;
    }
}
