using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Routing;

namespace OrderFlow.Domain.Tests;

public class RoutingPolicyTests
{
    [Fact]
    public void Plan_OneFulfillmentPerLocation_ConsumesExactlyTheAllocation()
    {
        var plans = RoutingPolicy.Plan("o1",
        [
            new ReservationOutcome("A", true, 3, 0, [new StockAllocation("EAST", 2), new StockAllocation("WEST", 1)]),
            new ReservationOutcome("B", true, 1, 0, [new StockAllocation("EAST", 1)]),
        ]);

        Assert.Equal(2, plans.Count);
        Assert.Equal("o1-F1", plans[0].FulfillmentId);
        Assert.Equal("EAST", plans[0].Location);
        Assert.Equal([new FulfillmentLine("A", 2), new FulfillmentLine("B", 1)], plans[0].Lines);
        Assert.Equal([new FulfillmentLine("A", 1)], plans[1].Lines);
    }
}
