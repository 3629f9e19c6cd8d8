using System.Text.Json;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;

namespace OrderFlow.Domain.Tests.Routing;

public class AllocationPolicyTests
{
    private static readonly Address ToCalifornia = new("Ada Lovelace", "1 Main St", null, "Los Angeles", "CA", "90012", "US", null);

    private static readonly Address ToOntario = new("Ada Lovelace", "1 King St", null, "Toronto", "ON", "M5H 2N2", "CA", null);

    [Fact]
    public void Allocate_OneLocationHoldsEverything_OneShipmentFromIt()
    {
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("A", 2), new DemandLine("B", 1)],
            Stock(("A", "EAST", 5), ("B", "EAST", 1), ("A", "WEST", 1)),
            [Warehouse("EAST", priority: 1), Warehouse("WEST", priority: 2)],
            ToCalifornia);

        Assert.True(decision.IsComplete);
        Assert.Equal(
            [new Allocation("A", "EAST", 2, LocationKind.Warehouse, FulfillmentMethod.OwnWarehouse), new Allocation("B", "EAST", 1, LocationKind.Warehouse, FulfillmentMethod.OwnWarehouse)],
            decision.Allocations);
        Assert.StartsWith("EAST holds all 3 unit(s): one shipment.", decision.WinnerReason, StringComparison.Ordinal);
        var east = Assert.Single(decision.Candidates, c => c.Locations.SequenceEqual(["EAST"]));
        Assert.True(east.Eligible);
        Assert.Equal((3, 1, 1, (int)ShippingZone.Other), (east.Score!.UnitsCovered, east.Score.Shipments, east.Score.HandlingDays, east.Score.ZoneDistance));
        Assert.Equal(1, Assert.Single(decision.Candidates, c => c.Locations.SequenceEqual(["WEST"])).Score!.UnitsCovered);
    }

    [Fact]
    public void Allocate_NoSingleLocationHoldsAll_SplitsAcrossTwoAndExplainsWhy()
    {
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("A", 5)],
            Stock(("A", "EAST", 3), ("A", "WEST", 4)),
            [Warehouse("EAST", priority: 1), Warehouse("WEST", priority: 2)],
            ToCalifornia);

        Assert.True(decision.IsComplete);
        Assert.Equal(5, decision.Allocations.Sum(a => a.Quantity));
        Assert.Equal(["EAST", "WEST"], decision.Allocations.Select(a => a.LocationId));
        Assert.Equal([3, 2], decision.Allocations.Select(a => a.Quantity));
        Assert.Contains("No single location holds all 5 unit(s) (the best holds 4)", decision.WinnerReason, StringComparison.Ordinal);
        Assert.Contains("2 shipments is the fewest", decision.WinnerReason, StringComparison.Ordinal);
        Assert.Contains(decision.Candidates, c => c.Locations.SequenceEqual(["EAST", "WEST"]) && c.Score!.Shipments == 2);
    }

    [Fact]
    public void Allocate_FewerShipments_BeatPriority()
    {
        // The preferred warehouse lacks B; the second one holds both, so one shipment from it beats two.
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("A", 1), new DemandLine("B", 1)],
            Stock(("A", "MAIN", 9), ("A", "BACKUP", 1), ("B", "BACKUP", 1), ("B", "STORE", 4)),
            [Warehouse("MAIN", priority: 1), Warehouse("BACKUP", priority: 5), Warehouse("STORE", priority: 2)],
            ToCalifornia);

        Assert.Equal(["BACKUP"], decision.Allocations.Select(a => a.LocationId).Distinct());
        Assert.StartsWith("BACKUP holds all 2 unit(s): one shipment.", decision.WinnerReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_TwoLocationsHoldEverything_LowerPriorityWinsAndIsNamedAsTheReason()
    {
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("A", 2)],
            Stock(("A", "EAST", 2), ("A", "WEST", 2)),
            [Warehouse("WEST", priority: 1), Warehouse("EAST", priority: 3)],
            ToCalifornia);

        Assert.Equal("WEST", Assert.Single(decision.Allocations).LocationId);
        Assert.Equal("WEST holds all 2 unit(s): one shipment, ahead of EAST on priority 1 vs 3.", decision.WinnerReason);
    }

    [Fact]
    public void Allocate_SplitSetsTie_SetWhoseWorstPriorityIsBetterWins()
    {
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("A", 4)],
            Stock(("A", "P1", 2), ("A", "P2", 2), ("A", "P9", 2)),
            [Warehouse("P1", priority: 1), Warehouse("P2", priority: 2), Warehouse("P9", priority: 9)],
            ToCalifornia);

        Assert.Equal(["P1", "P2"], decision.Allocations.Select(a => a.LocationId));
        Assert.Contains("3 set(s) of 2 hold them; P1 + P2 chosen, ahead of P1 + P9 on priority [2, 1] vs [9, 1].", decision.WinnerReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_LocationNotServingTheShipToRegion_IsIneligibleEvenWithStockAndPriority()
    {
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("A", 1)],
            Stock(("A", "NY", 10), ("A", "CANADA", 10), ("A", "CALI", 1)),
            [
                Warehouse("NY", priority: 0, regions: ["US-NY", "US-NJ"]),
                Warehouse("CANADA", priority: 0, regions: ["CA"]),
                Warehouse("CALI", priority: 7, regions: ["US-CA"]),
            ],
            ToCalifornia);

        Assert.Equal("CALI", Assert.Single(decision.Allocations).LocationId);
        var ny = Assert.Single(decision.Candidates, c => c.Locations.SequenceEqual(["NY"]));
        Assert.False(ny.Eligible);
        Assert.Equal("does not serve US-CA (serves US-NY, US-NJ)", ny.Reason);
        Assert.False(Assert.Single(decision.Candidates, c => c.Locations.SequenceEqual(["CANADA"])).Eligible);
    }

    [Fact]
    public void Allocate_SamePriority_NearerZoneWins()
    {
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("A", 1)],
            Stock(("A", "ABROAD", 5), ("A", "TEXAS", 5), ("A", "OAKLAND", 5)),
            [
                Warehouse("ABROAD", priority: 1, country: "MX"),
                Warehouse("TEXAS", priority: 1, country: "US", subdivision: "TX"),
                Warehouse("OAKLAND", priority: 1, country: "US", subdivision: "US-CA"),
            ],
            ToCalifornia);

        Assert.Equal("OAKLAND", Assert.Single(decision.Allocations).LocationId);
        Assert.EndsWith("ahead of TEXAS on zone SameSubdivision vs SameCountry.", decision.WinnerReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_SameSubdivision_PostalPrefixMatchIsNearer()
    {
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("A", 1)],
            Stock(("A", "SF", 5), ("A", "LA", 5)),
            [Warehouse("SF", priority: 1, country: "US", subdivision: "CA", postalPrefix: "94"), Warehouse("LA", priority: 1, country: "US", subdivision: "CA", postalPrefix: "900")],
            ToCalifornia);

        Assert.Equal("LA", Assert.Single(decision.Allocations).LocationId);
    }

    [Fact]
    public void Allocate_SamePriorityAndZone_ShorterHandlingThenIdDecide()
    {
        var byHandling = AllocationPolicy.Allocate(
            [new DemandLine("A", 1)],
            Stock(("A", "A-SLOW", 5), ("A", "B-FAST", 5)),
            [Warehouse("A-SLOW", priority: 1, handlingDays: 3), Warehouse("B-FAST", priority: 1, handlingDays: 1)],
            ToCalifornia);
        var byId = AllocationPolicy.Allocate(
            [new DemandLine("A", 1)],
            Stock(("A", "B", 5), ("A", "A", 5)),
            [Warehouse("B", priority: 1), Warehouse("A", priority: 1)],
            ToCalifornia);

        Assert.Equal("B-FAST", Assert.Single(byHandling.Allocations).LocationId);
        Assert.EndsWith("on handling time 1 vs 3 day(s).", byHandling.WinnerReason, StringComparison.Ordinal);
        Assert.Equal("A", Assert.Single(byId.Allocations).LocationId);
        Assert.EndsWith("on location id order.", byId.WinnerReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_DigitalLinesWithoutDigitalLocation_GoToTheDigitalLocationWithoutStockOrShipment()
    {
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("EBOOK", 1, IsDigital: true), new DemandLine("A", 1)],
            Stock(("A", "EAST", 1)),
            [Warehouse("EAST", priority: 1)],
            ToCalifornia);

        Assert.True(decision.IsComplete);
        var ebook = Assert.Single(decision.Allocations, a => a.Sku == "EBOOK");
        Assert.Equal(new Allocation("EBOOK", AllocationPolicy.DigitalLocationId, 1, LocationKind.Digital, FulfillmentMethod.DigitalDelivery, IsDigital: true), ebook);
        Assert.Equal(["A"], decision.StockAllocationsBySku().Keys);
        Assert.StartsWith("EAST holds all 1 unit(s): one shipment.", decision.WinnerReason, StringComparison.Ordinal);
        Assert.Contains("Digital line(s) EBOOK need no stock or shipment: delivered by digital (DigitalDelivery).", decision.WinnerReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_DigitalLines_UseTheConfiguredDigitalLocationServingTheRegion()
    {
        IReadOnlyList<FulfillmentLocation> locations =
        [
            new("DL-EU", LocationKind.Digital, FulfillmentMethod.DigitalDelivery, ["DE", "FR"], 0, 0),
            new("DL-NA", LocationKind.Digital, FulfillmentMethod.DigitalDelivery, ["US", "CA"], 1, 0),
        ];

        var served = AllocationPolicy.Allocate([new DemandLine("EBOOK", 2, IsDigital: true)], Stock(), locations, ToCalifornia);
        var unserved = AllocationPolicy.Allocate([new DemandLine("EBOOK", 2, IsDigital: true)], Stock(), locations, ToCalifornia with { CountryCode = "JP", Province = null });

        Assert.Equal("DL-NA", Assert.Single(served.Allocations).LocationId);
        Assert.False(Assert.Single(served.Candidates, c => c.Locations.SequenceEqual(["DL-EU"])).Eligible);
        Assert.Empty(unserved.Allocations);
        Assert.Equal(new AllocationShortage("EBOOK", 2, 0), Assert.Single(unserved.Shortages));
        Assert.Contains("No digital location serves JP", unserved.WinnerReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_DigitalLocationWithStock_IsNeverUsedForPhysicalLines()
    {
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("A", 1)],
            Stock(("A", "DL", 5), ("A", "EAST", 1)),
            [new FulfillmentLocation("DL", LocationKind.Digital, FulfillmentMethod.DigitalDelivery, ["*"], 0, 0), Warehouse("EAST", priority: 9)],
            ToCalifornia);

        Assert.Equal("EAST", Assert.Single(decision.Allocations).LocationId);
        Assert.Equal("delivers digital goods only", Assert.Single(decision.Candidates, c => c.Locations.SequenceEqual(["DL"])).Reason);
    }

    [Fact]
    public void Allocate_TwoSkusCompeteForLocations_BothComeFromTheOneLocationHoldingBoth()
    {
        // B alone would come from STORE (priority 1), but A exists only at WH, which also holds B: one shipment.
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("A", 1), new DemandLine("B", 2)],
            Stock(("A", "WH", 1), ("B", "WH", 2), ("B", "STORE", 10)),
            [Warehouse("STORE", priority: 1), Warehouse("WH", priority: 2)],
            ToCalifornia);

        Assert.Equal(
            [new Allocation("A", "WH", 1, LocationKind.Warehouse, FulfillmentMethod.OwnWarehouse), new Allocation("B", "WH", 2, LocationKind.Warehouse, FulfillmentMethod.OwnWarehouse)],
            decision.Allocations);
    }

    [Fact]
    public void Allocate_SplitNeeded_EachSkuStaysWholeWhereOneChosenLocationHoldsIt()
    {
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("A", 3), new DemandLine("B", 3)],
            Stock(("A", "EAST", 1), ("A", "WEST", 3), ("B", "EAST", 3)),
            [Warehouse("EAST", priority: 1), Warehouse("WEST", priority: 2)],
            ToCalifornia);

        Assert.Equal(
            [new Allocation("A", "WEST", 3, LocationKind.Warehouse, FulfillmentMethod.OwnWarehouse), new Allocation("B", "EAST", 3, LocationKind.Warehouse, FulfillmentMethod.OwnWarehouse)],
            decision.Allocations.OrderBy(a => a.Sku, StringComparer.Ordinal));
    }

    [Fact]
    public void Allocate_NotEnoughStockAnywhere_AllocatesWhatExistsInFewestShipmentsAndReportsTheShortage()
    {
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("A", 6), new DemandLine("B", 1)],
            Stock(("A", "EAST", 2), ("A", "WEST", 3), ("B", "WEST", 1), ("B", "NORTH", 1)),
            [Warehouse("EAST", priority: 1), Warehouse("WEST", priority: 2), Warehouse("NORTH", priority: 0)],
            ToCalifornia with { Province = null });

        Assert.False(decision.IsComplete);
        var shortage = Assert.Single(decision.Shortages);
        Assert.Equal(("A", 6, 5, 1), (shortage.Sku, shortage.Requested, shortage.Allocated, shortage.Missing));
        Assert.Equal(6, decision.Allocations.Sum(a => a.Quantity));
        Assert.Equal(["EAST", "WEST"], decision.Allocations.Select(a => a.LocationId).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains("Only 6 of 7 unit(s) are in stock at eligible locations", decision.WinnerReason, StringComparison.Ordinal);
        Assert.EndsWith("Short: A 1 of 6 missing.", decision.WinnerReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_NoStockAtAll_EverySkuIsShortAndNothingIsAllocated()
    {
        var decision = AllocationPolicy.Allocate([new DemandLine("A", 2)], Stock(("A", "EAST", 0)), [Warehouse("EAST", priority: 1)], ToCalifornia);

        Assert.Empty(decision.Allocations);
        Assert.Equal(new AllocationShortage("A", 2, 0), Assert.Single(decision.Shortages));
        Assert.Equal("no stock of the ordered SKUs", Assert.Single(decision.Candidates).Reason);
    }

    [Fact]
    public void Allocate_UnconfiguredLocationWithStock_IsEligibleAfterConfiguredOnesUnlessDisallowed()
    {
        var demand = new[] { new DemandLine("A", 1) };
        var stock = Stock(("A", "AAA-UNLISTED", 5), ("A", "LISTED", 5));
        IReadOnlyList<FulfillmentLocation> locations = [Warehouse("LISTED", priority: 4, regions: ["US"])];

        var onlyUnlisted = AllocationPolicy.Allocate(demand, Stock(("A", "AAA-UNLISTED", 5)), locations, ToOntario);
        var both = AllocationPolicy.Allocate(demand, stock, locations, ToCalifornia);
        var strict = AllocationPolicy.Allocate(demand, Stock(("A", "AAA-UNLISTED", 5)), locations, ToOntario, allowUnconfiguredLocations: false);

        Assert.Equal(new Allocation("A", "AAA-UNLISTED", 1, LocationKind.Warehouse, FulfillmentMethod.OwnWarehouse), Assert.Single(onlyUnlisted.Allocations));
        Assert.Equal("LISTED", Assert.Single(both.Allocations).LocationId);
        Assert.Contains("priority 4 vs 5", both.WinnerReason, StringComparison.Ordinal);
        Assert.Empty(strict.Allocations);
        Assert.Equal("not a configured location", Assert.Single(strict.Candidates, c => c.Locations.SequenceEqual(["AAA-UNLISTED"])).Reason);
    }

    [Fact]
    public void Allocate_PickupOnlyLocation_IsNotUsedForAShippedOrder()
    {
        var decision = AllocationPolicy.Allocate(
            [new DemandLine("A", 1)],
            Stock(("A", "SHOP", 5)),
            [new FulfillmentLocation("SHOP", LocationKind.Pickup, FulfillmentMethod.LocalPickup, ["US"], 0, 0)],
            ToCalifornia);

        Assert.Empty(decision.Allocations);
        Assert.Equal("local pickup only; this order ships", Assert.Single(decision.Candidates).Reason);
    }

    [Fact]
    public void Allocate_ShuffledInputs_GiveTheSameDecision()
    {
        var demand = new[] { new DemandLine("B", 2), new DemandLine("A", 3), new DemandLine("A", 1) };
        var locations = new[] { Warehouse("X", priority: 2), Warehouse("Y", priority: 2), Warehouse("Z", priority: 2), Warehouse("W", priority: 2) };
        var cells = new[] { ("A", "X", 2), ("A", "Y", 2), ("B", "Z", 2), ("B", "Y", 1), ("A", "W", 4), ("B", "W", 1) };

        var first = AllocationPolicy.Allocate(demand, Stock(cells), locations, ToCalifornia);
        var second = AllocationPolicy.Allocate(demand.Reverse(), Stock(cells.Reverse().ToArray()), locations.Reverse(), ToCalifornia);

        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(second));
        Assert.True(first.IsComplete);
        Assert.Equal(6, first.Allocations.Sum(a => a.Quantity));
    }

    [Fact]
    public void Allocate_MoreEligibleLocationsThanTheExactLimit_CoversGreedilyAndSaysSo()
    {
        var count = AllocationPolicy.MaxExactSearchLocations + 1;
        var cells = Enumerable.Range(0, count).Select(i => ("A", $"L{i:D2}", 1)).Append(("A", "BIG", 3)).ToArray();
        var locations = cells.Select(c => Warehouse(c.Item2, priority: 1)).ToArray();

        var decision = AllocationPolicy.Allocate([new DemandLine("A", 4)], Stock(cells), locations, ToCalifornia);

        Assert.True(decision.IsComplete);
        Assert.Equal(["BIG", "L00"], decision.Allocations.Select(a => a.LocationId).Order(StringComparer.Ordinal));
        Assert.Contains("exceed the exact search limit of 12", decision.WinnerReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ManyCandidates_ListsTheFirstAndCountsTheRest()
    {
        var cells = Enumerable.Range(0, 5).Select(i => ("A", $"L{i}", 1)).ToArray();
        var decision = AllocationPolicy.Allocate([new DemandLine("A", 1)], Stock(cells), cells.Select(c => Warehouse(c.Item2, priority: 1)).ToArray(), ToCalifornia);

        var text = decision.Describe(maxCandidates: 2);

        Assert.StartsWith("Allocated 1 x A from L0 (OwnWarehouse). L0 holds all 1 unit(s): one shipment, ahead of L1 on location id order. Candidates: L0 eligible: ", text, StringComparison.Ordinal);
        Assert.EndsWith("; 3 more.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("L2 eligible", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_InvalidDemand_Throws()
    {
        Assert.Throws<ArgumentException>(() => AllocationPolicy.Allocate([new DemandLine("A", 0)], Stock(), [], ToCalifornia));
        Assert.Throws<ArgumentException>(() => AllocationPolicy.Allocate([new DemandLine("A", 1), new DemandLine("A", 1, IsDigital: true)], Stock(), [], ToCalifornia));
        Assert.Throws<ArgumentException>(() => AllocationPolicy.Allocate([new DemandLine("A", 1)], Stock(), [Warehouse("X", 1), Warehouse("X", 2)], ToCalifornia));
    }

    private static FulfillmentLocation Warehouse(
        string id,
        int priority,
        IReadOnlyList<string>? regions = null,
        int handlingDays = 1,
        string? country = null,
        string? subdivision = null,
        string? postalPrefix = null) =>
        new(id, LocationKind.Warehouse, FulfillmentMethod.OwnWarehouse, regions ?? ["US"], priority, handlingDays, country, subdivision, postalPrefix);

    private static Dictionary<string, IReadOnlyDictionary<string, int>> Stock(params (string Sku, string Location, int Available)[] cells) =>
        cells.GroupBy(c => c.Sku).ToDictionary(
            g => g.Key,
            g => (IReadOnlyDictionary<string, int>)g.ToDictionary(c => c.Location, c => c.Available));
}
