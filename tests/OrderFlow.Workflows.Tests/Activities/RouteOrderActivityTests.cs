using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Routing;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Tests.Harness;
using static Microsoft.Extensions.Options.Options;

namespace OrderFlow.Workflows.Tests.Activities;

public sealed class RouteOrderActivityTests
{
    [Fact]
    public async Task RunAsync_ConfiguredLocation_FulfillmentCarriesItsMethodAndKind()
    {
        var orders = new FakeOrderStore(new ChangeFeed());
        var order = TestOrders.Create("6001", ("SKU-MUG", 3, 10_00));
        await orders.CreateAsync(order, ActivityRun.Now);
        var routing = new RoutingOptions
        {
            Locations = [new RoutingLocationOptions { Id = "ACME", Kind = "ThirdParty", Method = "ThirdPartyApi", Regions = ["*"] }],
        };
        var reservations = new[] { new ReservationOutcome("SKU-MUG", true, 3, 0, [new StockAllocation("ACME", 2), new StockAllocation("GARAGE", 1)]) };

        var plans = await ActivityRun.RunAsync(new RouteOrderActivity(orders, Create(routing), ActivityRun.Clock()), new RouteOrderRequest(order.OrderId, reservations), order.OrderId);

        Assert.Equal(2, plans.Count);
        Assert.Equal(("ACME", FulfillmentMethod.ThirdPartyApi, LocationKind.ThirdParty), (plans[0].Location, plans[0].Method, plans[0].Kind));
        Assert.Equal(("GARAGE", (FulfillmentMethod?)null, (LocationKind?)null), (plans[1].Location, plans[1].Method, plans[1].Kind));
        Assert.Equal(["planned", "planned"], orders.Get(order.OrderId).Fulfillments.Select(f => f.Status));
        Assert.Equal(
            $"Routed to 2 fulfillment(s): {order.OrderId}-F1 from ACME (ThirdPartyApi): 2 x SKU-MUG; {order.OrderId}-F2 from GARAGE: 1 x SKU-MUG",
            orders.Get(order.OrderId).Timeline[^1].Message);
    }
}
