using OrderFlow.Domain.Inventory;

namespace OrderFlow.Domain.Tests.Inventory;

public class StockShardsTests
{
    private static readonly DateTimeOffset Expiry = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Key_ShardZeroIsTheSkuItself_OthersReadBackToTheSku()
    {
        Assert.Equal("MUG", StockShards.Key("MUG", 0));
        Assert.Equal("MUG~shard3", StockShards.Key("MUG", 3));
        Assert.Equal("MUG", StockShards.SkuOf("MUG~shard3"));
        Assert.Equal("MUG", StockShards.SkuOf("MUG"));
        Assert.Equal("MUG~shardX", StockShards.SkuOf("MUG~shardX"));
        Assert.True(StockShards.IsShard("MUG~shard1"));
        Assert.False(StockShards.IsShard("MUG"));
        Assert.Equal(["MUG", "MUG~shard1", "MUG~shard2"], StockShards.Keys("MUG", 3));
    }

    [Fact]
    public void TryOrder_EveryShardOnceStartingAtAStableHome_OrdersSpreadOverTheShards()
    {
        var order = StockShards.TryOrder("shop-1001", 4);
        Assert.Equal([0, 1, 2, 3], order.Order());
        Assert.Equal(order, StockShards.TryOrder("shop-1001", 4));
        Assert.Equal([0], StockShards.TryOrder("shop-1001", 1));

        // FNV-1a of the order id: the same on every machine and run, and 1,000 order ids land on every shard.
        var homes = Enumerable.Range(0, 1000).Select(i => StockShards.TryOrder($"shop-{i}", 8)[0]).GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(8, homes.Count);
        Assert.All(homes.Values, n => Assert.InRange(n, 80, 170));
    }

    [Fact]
    public void TakeAvailable_LeavesReservedUnits_AndReceiveAddsExactlyWhatLeft()
    {
        var from = new SkuInventory();
        from.SetOnHand("S", "EAST", 5, "test", "count", Expiry);
        from.SetOnHand("S", "WEST", 2, "test", "count", Expiry);
        from.Reserve("S", "o1", 4, Expiry);
        from.TakeJournal();

        var taken = from.TakeAvailable(null, 10, "t1", "rebalancer");

        Assert.Equal(3, taken.Sum(t => t.Quantity));
        Assert.Equal(0, from.Available);
        Assert.Equal(4, from.Reserved);
        Assert.All(from.TakeJournal().Movements, m => Assert.Equal("shard-out t1", m.Reason));

        var to = new SkuInventory();
        to.Reserve("S", "waiting", 2, Expiry, allowBackorder: true);
        var filled = to.Receive("S", taken, "t1", "rebalancer", Expiry);
        Assert.Equal(3, to.OnHand);
        Assert.Equal([("waiting", 2)], filled.Select(f => (f.OrderId, f.Quantity)));
        Assert.Equal(7, from.OnHand + to.OnHand);
    }

    [Fact]
    public void TakeAvailable_OneLocationAndAtMostMax()
    {
        var stock = new SkuInventory();
        stock.SetOnHand("S", "EAST", 5, "test", "count", Expiry);
        stock.SetOnHand("S", "WEST", 5, "test", "count", Expiry);

        Assert.Equal([new StockAllocation("WEST", 2)], stock.TakeAvailable("WEST", 2, "t", "test"));
        Assert.Equal(8, stock.OnHand);
    }
}
