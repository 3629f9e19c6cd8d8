using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Entities;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Input of the routing decision: what the order needs and, per SKU, the units available at each location as read
/// just before the reservation (inside the critical section for orders before revision 9).
/// </summary>
public sealed record AllocationRequest(
    string OrderId,
    IReadOnlyList<DemandLine> Demand,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> AvailableBySkuAndLocation)
{
    /// <summary>
    /// Builds the request from the order's demand per SKU and the SKUs' stock views (InventoryEntity.Get); the SKUs
    /// named in <paramref name="digitalSkus"/> are delivered without stock. Pure, so an orchestrator may call it.
    /// </summary>
    public static AllocationRequest FromStock(
        string orderId,
        IReadOnlyDictionary<string, int> demandBySku,
        IEnumerable<StockView> stock,
        IReadOnlySet<string>? digitalSkus = null)
    {
        var demand = demandBySku
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .Select(d => new DemandLine(d.Key, d.Value, digitalSkus?.Contains(d.Key) == true))
            .ToList();
        var available = stock.ToDictionary(
            s => s.Sku,
            s => (IReadOnlyDictionary<string, int>)s.Locations.ToDictionary(l => l.Key, l => Math.Max(l.Value.Available, 0), StringComparer.Ordinal),
            StringComparer.Ordinal);
        return new AllocationRequest(orderId, demand, available);
    }
}
