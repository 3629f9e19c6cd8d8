using OrderFlow.Domain.Inventory;

namespace OrderFlow.Domain.Tests;

public class SkuInventoryTests
{
    private static readonly DateTimeOffset Expiry = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reserve_EnoughAtOneLocation_HoldsThere()
    {
        var stock = Stocked(("EAST", 3), ("WEST", 10));
        var outcome = stock.Reserve("S", "o1", 4, Expiry);
        Assert.True(outcome.Succeeded);
        Assert.Equal([new StockAllocation("WEST", 4)], outcome.Allocations);
        Assert.Equal(9, stock.Available);
    }

    [Fact]
    public void Reserve_NotEnoughAnywhere_HoldsNothingAndReportsShortfall()
    {
        var stock = Stocked(("EAST", 2));
        var outcome = stock.Reserve("S", "o1", 3, Expiry);
        Assert.False(outcome.Succeeded);
        Assert.Equal(1, outcome.Shortfall);
        Assert.Equal(0, stock.Reserved);
        Assert.Empty(stock.Backorders);
    }

    [Fact]
    public void Reserve_SplitsAcrossLocations_WhenNoSingleLocationSuffices()
    {
        var stock = Stocked(("EAST", 2), ("WEST", 2));
        var outcome = stock.Reserve("S", "o1", 3, Expiry);
        Assert.Equal(3, outcome.Allocations.Sum(a => a.Quantity));
        Assert.Equal(2, outcome.Allocations.Count);
        Assert.Equal(1, stock.Available);
    }

    [Fact]
    public void Reserve_PreferredAllocationStillAvailable_IsUsedAsRouted()
    {
        var stock = Stocked(("EAST", 2), ("WEST", 10));
        var outcome = stock.Reserve("S", "o1", 2, Expiry, preferred: [new StockAllocation("EAST", 2)]);
        Assert.Equal([new StockAllocation("EAST", 2)], outcome.Allocations);
    }

    [Fact]
    public void Reserve_PreferredAllocationNoLongerAvailable_FallsBackToAvailableStock()
    {
        var stock = Stocked(("EAST", 1), ("WEST", 10));
        var outcome = stock.Reserve("S", "o1", 2, Expiry, preferred: [new StockAllocation("EAST", 2)]);
        Assert.Equal([new StockAllocation("WEST", 2)], outcome.Allocations);
    }

    [Fact]
    public void Reserve_SameOrderTwice_IsIdempotent()
    {
        var stock = Stocked(("EAST", 5));
        stock.Reserve("S", "o1", 3, Expiry);
        var again = stock.Reserve("S", "o1", 3, Expiry);
        Assert.True(again.Succeeded);
        Assert.Equal(3, stock.Reserved);
    }

    [Fact]
    public void Commit_TwiceForTheSameFulfillment_RemovesStockOnce()
    {
        var stock = Stocked(("EAST", 5));
        stock.Reserve("S", "o1", 2, Expiry);
        Assert.Equal(2, stock.Commit("o1", "o1-F1", "EAST", 2, "test"));
        Assert.Equal(0, stock.Commit("o1", "o1-F1", "EAST", 2, "test"));
        Assert.Equal(3, stock.OnHand);
        Assert.Equal(0, stock.Reserved);
    }

    [Fact]
    public void Commit_SecondFulfillmentAtTheSameLocation_CommitsItsOwnUnits()
    {
        var stock = Stocked(("EAST", 5));
        stock.Reserve("S", "o1", 4, Expiry);
        Assert.Equal(1, stock.Commit("o1", "o1-F1", "EAST", 1, "test"));
        Assert.Equal(3, stock.Commit("o1", "o1-F2", "EAST", 3, "test"));
        Assert.Equal(1, stock.OnHand);
        Assert.Equal(0, stock.Reserved);
    }

    [Fact]
    public void Release_Twice_FreesReservedUnitsOnce()
    {
        var stock = Stocked(("EAST", 5));
        stock.Reserve("S", "o1", 2, Expiry);
        Assert.Equal(2, stock.Release("S", "o1", StockReasons.Release, "test", Expiry).Released);
        Assert.Equal(0, stock.Release("S", "o1", StockReasons.Release, "test", Expiry).Released);
        Assert.Equal(5, stock.Available);
    }

    [Fact]
    public void Reserve_ManyOrders_NeverExceedsOnHand()
    {
        var stock = Stocked(("EAST", 7));
        var succeeded = Enumerable.Range(0, 20).Count(i => stock.Reserve("S", $"o{i}", 2, Expiry).Succeeded);
        Assert.Equal(3, succeeded);
        Assert.True(stock.Reserved <= stock.OnHand);
    }

    [Fact]
    public void Reserve_WithBackorder_ReservesWhatExistsAndQueuesTheRestExplicitly()
    {
        var stock = Stocked(("EAST", 3));
        var outcome = stock.Reserve("S", "o1", 5, Expiry, allowBackorder: true);
        Assert.True(outcome.Succeeded);
        Assert.Equal(3, outcome.ReservedQuantity);
        Assert.Equal(2, outcome.Backordered);
        Assert.Equal(0, stock.Available);
        Assert.Equal(2, stock.BackorderedUnits);
    }

    [Fact]
    public void LeaveQueue_AfterPartialReservation_DropsOnlyTheWaitingUnitsAndFreesNothing()
    {
        var stock = Stocked(("EAST", 3));
        stock.Reserve("S", "o1", 5, Expiry, allowBackorder: true);
        stock.Reserve("S", "o2", 1, Expiry, allowBackorder: true);
        stock.TakeJournal();

        var left = stock.LeaveQueue("o1");

        Assert.Equal(2, left);
        Assert.Equal(("o2", 1), (Assert.Single(stock.Backorders).OrderId, stock.BackorderedUnits));
        Assert.Equal((3, 3, 0), (stock.OnHand, stock.Reserved, stock.Available));
        Assert.Equal(3, stock.Reservations["o1"].Quantity);
        Assert.Empty(stock.TakeJournal().Movements);
        Assert.Equal(0, stock.LeaveQueue("o1"));
    }

    [Fact]
    public void Restock_FillsBackordersOldestFirst_PartialFillKeepsItsPlace()
    {
        var stock = Stocked(("EAST", 0));
        stock.Reserve("S", "old", 3, Expiry, allowBackorder: true);
        stock.Reserve("S", "new", 2, Expiry, allowBackorder: true);

        var first = stock.Adjust("S", "EAST", 2, "receiving", "receipt", null, Expiry);
        var fill = Assert.Single(first);
        Assert.Equal(("old", 2, 1), (fill.OrderId, fill.Quantity, fill.Remaining));
        Assert.Equal([new StockAllocation("EAST", 2)], fill.Allocations);

        var second = stock.Adjust("S", "EAST", 4, "receiving", "receipt", null, Expiry);
        Assert.Equal(["old", "new"], second.Select(f => f.OrderId));
        Assert.Equal([1, 2], second.Select(f => f.Quantity));
        Assert.All(second, f => Assert.Equal(0, f.Remaining));
        Assert.Empty(stock.Backorders);
        Assert.Equal(1, stock.Available);
        Assert.Equal(5, stock.Reserved);
    }

    [Fact]
    public void Reserve_OnlyQueued_SequenceStaysAndQueueKeepsItsOrderAcrossTheOldNumbering()
    {
        // A queue place numbered the old way (from the operation sequence), then the sequence moves on.
        var stock = Stocked(("EAST", 0));
        stock.Backorders.Add(new Backorder { OrderId = "old", Quantity = 1, Sequence = stock.Sequence });
        var before = stock.Sequence;

        stock.Reserve("S", "new", 2, Expiry, allowBackorder: true);
        stock.TakeJournal();

        // Only movements advance the sequence: queuing moved nothing, so no ledger number was used without rows.
        Assert.Equal(before, stock.Sequence);
        Assert.True(stock.QueueNumber > before);

        // Arriving units still go to the oldest place first, the old-numbered one included; the receipt is one operation.
        var fills = stock.Adjust("S", "EAST", 3, "receiving", "receipt", null, Expiry);
        Assert.Equal([("old", 1), ("new", 2)], fills.Select(f => (f.OrderId, f.Quantity)));
        Assert.Equal(before + 1, stock.Sequence);
        Assert.All(stock.TakeJournal().Movements, m => Assert.Equal(before + 1, m.Sequence));
    }

    [Fact]
    public void NewOrderAfterBackorders_CannotJumpTheQueue()
    {
        var stock = Stocked(("EAST", 0));
        stock.Reserve("S", "waiting", 2, Expiry, allowBackorder: true);
        stock.SetOnHand("S", "EAST", 2, "count", "stock count", Expiry);

        var late = stock.Reserve("S", "late", 1, Expiry);

        Assert.False(late.Succeeded);
        Assert.Equal(2, stock.Reservations["waiting"].Quantity);
    }

    [Fact]
    public void Release_GivesFreedUnitsToWaitingOrders()
    {
        var stock = Stocked(("EAST", 2));
        stock.Reserve("S", "holder", 2, Expiry);
        stock.Reserve("S", "waiting", 1, Expiry, allowBackorder: true);

        var (released, filled) = stock.Release("S", "holder", StockReasons.Expired, "reaper", Expiry);

        Assert.Equal(2, released);
        Assert.Equal("waiting", Assert.Single(filled).OrderId);
        Assert.Equal(1, stock.Available);
    }

    [Fact]
    public void Journal_SumsToTheCounters_AfterEveryKindOfOperation()
    {
        var stock = new SkuInventory();
        var ledger = new List<StockMovement>();
        void Take() => ledger.AddRange(stock.TakeJournal().Movements);

        stock.SetOnHand("S", "EAST", 5, "count", "stock count", Expiry); Take();
        stock.SetOnHand("S", "WEST", 2, "count", "stock count", Expiry); Take();
        stock.Reserve("S", "o1", 6, Expiry); Take();
        stock.Reserve("S", "o2", 3, Expiry, allowBackorder: true); Take();
        stock.Commit("o1", "o1-F1", "EAST", null, "test"); Take();
        stock.Release("S", "o1", StockReasons.Release, "test", Expiry); Take();
        stock.Adjust("S", "WEST", 4, "receiving", "receipt", null, Expiry); Take();
        stock.Adjust("S", "WEST", -1, "ops", "damaged", null, Expiry); Take();

        foreach (var (location, counters) in stock.Locations)
        {
            Assert.Equal(counters.OnHand, ledger.Where(m => m.Location == location).Sum(m => m.OnHandDelta));
            Assert.Equal(counters.Reserved, ledger.Where(m => m.Location == location).Sum(m => m.ReservedDelta));
        }

        Assert.Equal(ledger.Select(m => m.Sequence).Order(), ledger.Select(m => m.Sequence));
        Assert.Contains(ledger, m => m.Reason == StockReasons.BackorderFill && m.OrderId == "o2");
    }

    [Fact]
    public void LowStockAlert_RaisedOncePerCrossing_AndAgainAfterRecovery()
    {
        var stock = Stocked(("EAST", 10));
        stock.SetReorderThreshold("S", 5);
        Assert.Null(stock.TakeJournal().Alert);

        Assert.Null(stock.Reserve("S", "o1", 5, Expiry).LowStock);
        stock.TakeJournal();
        var crossing = stock.Reserve("S", "o2", 1, Expiry).LowStock;
        Assert.Equal(4, crossing?.Available);
        Assert.Equal(crossing, stock.TakeJournal().Alert);

        Assert.Null(stock.Reserve("S", "o3", 1, Expiry).LowStock);
        Assert.Null(stock.TakeJournal().Alert);

        stock.Adjust("S", "EAST", 10, "receiving", "receipt", null, Expiry);
        stock.TakeJournal();
        Assert.NotNull(stock.Reserve("S", "o4", 11, Expiry).LowStock);
    }

    [Fact]
    public void Adjust_RemovingMoreThanOnHand_Throws()
    {
        var stock = Stocked(("EAST", 1));
        Assert.Throws<InvalidOperationException>(() => stock.Adjust("S", "EAST", -2, "ops", "damaged", null, Expiry));
        Assert.Equal(1, stock.OnHand);
    }

    [Fact]
    public void ExpiredAt_ListsReservationsPastTheirHold()
    {
        var stock = Stocked(("EAST", 5));
        stock.Reserve("S", "old", 1, Expiry.AddDays(-2));
        stock.Reserve("S", "fresh", 1, Expiry.AddDays(2));
        Assert.Equal(["old"], stock.ExpiredAt(Expiry).Select(r => r.OrderId));
    }

    [Fact]
    public void Reroute_MovesHeldUnitsToAnotherLocation_AllOrNothing()
    {
        var stock = Stocked(("EAST", 3), ("WEST", 2));
        stock.Reserve("S", "o1", 3, Expiry, preferred: [new StockAllocation("EAST", 3)]);

        var tooMany = stock.Reroute("S", "o1", "EAST", 3, "test");
        var moved = stock.Reroute("S", "o1", "EAST", 2, "test");

        Assert.False(tooMany.Succeeded);
        Assert.Equal(2, tooMany.Available);
        Assert.True(moved.Succeeded);
        Assert.Equal([new StockAllocation("WEST", 2)], moved.Allocations);
        Assert.Equal((1, 2), (stock.Locations["EAST"].Reserved, stock.Locations["WEST"].Reserved));
        Assert.Equal(3, stock.Reservations["o1"].Quantity);
    }

    private static SkuInventory Stocked(params (string Location, int OnHand)[] locations)
    {
        var stock = new SkuInventory();
        foreach (var (location, onHand) in locations)
        {
            stock.SetOnHand("S", location, onHand, "test", "stock count", Expiry);
        }

        stock.TakeJournal();
        return stock;
    }
}
