using OrderFlow.Domain.Inventory;

namespace OrderFlow.Domain.Tests;

public class SkuInventoryTests
{
    private static readonly DateTimeOffset Expiry = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reserve_EnoughAtOneLocation_HoldsThere()
    {
        var stock = new SkuInventory();
        stock.SetOnHand("EAST", 3);
        stock.SetOnHand("WEST", 10);
        var outcome = stock.Reserve("S", "o1", 4, Expiry);
        Assert.True(outcome.Succeeded);
        Assert.Equal([new StockAllocation("WEST", 4)], outcome.Allocations);
        Assert.Equal(9, stock.Available);
    }

    [Fact]
    public void Reserve_NotEnoughAnywhere_HoldsNothingAndReportsShortfall()
    {
        var stock = new SkuInventory();
        stock.SetOnHand("EAST", 2);
        var outcome = stock.Reserve("S", "o1", 3, Expiry);
        Assert.False(outcome.Succeeded);
        Assert.Equal(1, outcome.Shortfall);
        Assert.Equal(0, stock.Reserved);
    }

    [Fact]
    public void Reserve_SplitsAcrossLocations_WhenNoSingleLocationSuffices()
    {
        var stock = new SkuInventory();
        stock.SetOnHand("EAST", 2);
        stock.SetOnHand("WEST", 2);
        var outcome = stock.Reserve("S", "o1", 3, Expiry);
        Assert.Equal(3, outcome.Allocations.Sum(a => a.Quantity));
        Assert.Equal(2, outcome.Allocations.Count);
    }

    [Fact]
    public void Reserve_SameOrderTwice_IsIdempotent()
    {
        var stock = new SkuInventory();
        stock.SetOnHand("EAST", 5);
        stock.Reserve("S", "o1", 3, Expiry);
        stock.Reserve("S", "o1", 3, Expiry);
        Assert.Equal(3, stock.Reserved);
    }

    [Fact]
    public void Commit_Twice_RemovesStockOnce()
    {
        var stock = new SkuInventory();
        stock.SetOnHand("EAST", 5);
        stock.Reserve("S", "o1", 2, Expiry);
        Assert.Equal(2, stock.Commit("o1", "EAST"));
        Assert.Equal(0, stock.Commit("o1", "EAST"));
        Assert.Equal(3, stock.OnHand);
        Assert.Equal(0, stock.Reserved);
    }

    [Fact]
    public void Release_FreesReservedUnits()
    {
        var stock = new SkuInventory();
        stock.SetOnHand("EAST", 5);
        stock.Reserve("S", "o1", 2, Expiry);
        Assert.Equal(2, stock.Release("o1"));
        Assert.Equal(0, stock.Release("o1"));
        Assert.Equal(5, stock.Available);
    }

    [Fact]
    public void Reserve_ManyOrders_NeverExceedsOnHand()
    {
        var stock = new SkuInventory();
        stock.SetOnHand("EAST", 7);
        var succeeded = Enumerable.Range(0, 20).Count(i => stock.Reserve("S", $"o{i}", 2, Expiry).Succeeded);
        Assert.Equal(3, succeeded);
        Assert.True(stock.Reserved <= stock.OnHand);
    }
}
