using System.Text.Json;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Entities;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Tests.Harness;
using static Microsoft.Extensions.Options.Options;

namespace OrderFlow.Workflows.Tests.Activities;

public sealed class PlanAllocationActivityTests
{
    private static readonly Address ToLosAngeles = new("Ada Lovelace", "1 Main St", null, "Los Angeles", "CA", "90012", "US", null);

    private readonly FakeOrderStore orders = new(new ChangeFeed());

    [Fact]
    public async Task RunAsync_ConfiguredLocations_AllocatesByPolicyForTheOrdersShipToAndRecordsWhyOnTheTimeline()
    {
        var order = await RecordAsync("5001", ToLosAngeles, ("SKU-MUG", 2), ("SKU-TEE", 1));
        var routing = Routing(
            Location("WH-EAST", priority: 1, "US-NY", "US-NJ"),
            Location("WH-WEST", priority: 2, "US"),
            Location("WH-ALL", priority: 3, "*"));
        var request = new AllocationRequest(
            order.OrderId,
            [new DemandLine("SKU-MUG", 2), new DemandLine("SKU-TEE", 1)],
            Stock(("SKU-MUG", "WH-EAST", 9), ("SKU-TEE", "WH-EAST", 9), ("SKU-MUG", "WH-WEST", 2), ("SKU-TEE", "WH-WEST", 1), ("SKU-MUG", "WH-ALL", 5), ("SKU-TEE", "WH-ALL", 5)));

        var decision = await ActivityRun.RunAsync(new PlanAllocationActivity(this.orders, Create(routing), ActivityRun.Clock()), request, order.OrderId);

        Assert.True(decision.IsComplete);
        Assert.Equal(["WH-WEST"], decision.Allocations.Select(a => a.LocationId).Distinct());
        Assert.Equal(3, decision.Allocations.Sum(a => a.Quantity));
        var entry = this.orders.Get(order.OrderId).Timeline[^1];
        Assert.Equal((ActivityRun.Now, "routing"), (entry.At, entry.Kind));
        Assert.StartsWith("Allocated 2 x SKU-MUG from WH-WEST (OwnWarehouse), 1 x SKU-TEE from WH-WEST (OwnWarehouse). ", entry.Message, StringComparison.Ordinal);
        Assert.Contains("WH-WEST holds all 3 unit(s): one shipment, ahead of WH-ALL on priority 2 vs 3.", entry.Message, StringComparison.Ordinal);
        Assert.Contains("WH-EAST not eligible: does not serve US-CA (serves US-NY, US-NJ)", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnlistedLocationsRefused_ReportsTheShortageInsteadOfShippingFromThem()
    {
        var order = await RecordAsync("5002", ToLosAngeles, ("SKU-MUG", 3));
        var routing = Routing(Location("WH-WEST", priority: 1, "US"));
        routing.AllowUnconfiguredLocations = false;
        var request = new AllocationRequest(order.OrderId, [new DemandLine("SKU-MUG", 3)], Stock(("SKU-MUG", "WH-WEST", 1), ("SKU-MUG", "GARAGE", 10)));

        var decision = await ActivityRun.RunAsync(new PlanAllocationActivity(this.orders, Create(routing), ActivityRun.Clock()), request, order.OrderId);

        Assert.Equal(new Allocation("SKU-MUG", "WH-WEST", 1, LocationKind.Warehouse, FulfillmentMethod.OwnWarehouse), Assert.Single(decision.Allocations));
        Assert.Equal(2, Assert.Single(decision.Shortages).Missing);
        Assert.Contains("GARAGE not eligible: not a configured location", this.orders.Get(order.OrderId).Timeline[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OrderNotRecorded_ThrowsAndWritesNothing()
    {
        var activity = new PlanAllocationActivity(this.orders, Create(Routing()), ActivityRun.Clock());

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ActivityRun.RunAsync(activity, new AllocationRequest("shop-missing", [new DemandLine("SKU-MUG", 1)], Stock()), "shop-missing"));
        Assert.Equal(0, this.orders.Count);
    }

    [Fact]
    public void AllocationRequestAndDecision_JsonRoundTrip_KeepEveryField()
    {
        // Activity inputs and outputs cross the durable engine as JSON.
        var request = AllocationRequest.FromStock(
            "o1",
            new Dictionary<string, int> { ["SKU-TEE"] = 1, ["SKU-MUG"] = 2, ["EBOOK"] = 1 },
            [
                new StockView("SKU-MUG", 5, 1, 4, new Dictionary<string, LocationStockView> { ["WH-EAST"] = new(3, 1, 2), ["WH-WEST"] = new(2, 0, 2) }, []),
                new StockView("SKU-TEE", 1, 2, -1, new Dictionary<string, LocationStockView> { ["WH-EAST"] = new(1, 2, -1) }, []),
            ],
            new HashSet<string> { "EBOOK" });
        var decision = AllocationPolicy.Allocate(request.Demand, request.AvailableBySkuAndLocation, [], ToLosAngeles);

        var requestBack = JsonSerializer.Deserialize<AllocationRequest>(JsonSerializer.Serialize(request))!;
        var decisionBack = JsonSerializer.Deserialize<AllocationDecision>(JsonSerializer.Serialize(decision))!;

        Assert.Equal([new DemandLine("EBOOK", 1, IsDigital: true), new DemandLine("SKU-MUG", 2), new DemandLine("SKU-TEE", 1)], requestBack.Demand);
        Assert.Equal(2, requestBack.AvailableBySkuAndLocation["SKU-MUG"]["WH-WEST"]);
        Assert.Equal(0, requestBack.AvailableBySkuAndLocation["SKU-TEE"]["WH-EAST"]);
        Assert.Equal(decision.Allocations, decisionBack.Allocations);
        Assert.Equal(decision.Shortages, decisionBack.Shortages);
        Assert.Equal(decision.WinnerReason, decisionBack.WinnerReason);
        Assert.Equal(decision.Describe(), decisionBack.Describe());
        Assert.Equal(new AllocationShortage("SKU-TEE", 1, 0), Assert.Single(decisionBack.Shortages));
    }

    private async Task<Order> RecordAsync(string externalId, Address address, params (string Sku, int Quantity)[] lines)
    {
        var order = TestOrders.Create(externalId, address, lines.Select(l => (l.Sku, l.Quantity, 10_00L)).ToArray());
        await this.orders.CreateAsync(order, ActivityRun.Now);
        return order;
    }

    private static RoutingOptions Routing(params RoutingLocationOptions[] locations) => new() { Locations = [.. locations] };

    private static RoutingLocationOptions Location(string id, int priority, params string[] regions) =>
        new() { Id = id, Priority = priority, Regions = [.. regions], HandlingDays = 1 };

    private static Dictionary<string, IReadOnlyDictionary<string, int>> Stock(params (string Sku, string Location, int Available)[] cells) =>
        cells.GroupBy(c => c.Sku).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.ToDictionary(c => c.Location, c => c.Available));
}
