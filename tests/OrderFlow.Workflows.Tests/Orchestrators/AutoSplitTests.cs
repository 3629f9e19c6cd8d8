using System.Globalization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Host;
using OrderFlow.Workflows.Inventory;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// The automatic split on the real engine (<c>Inventory:AutoSplit</c>): a burst of orders on one SKU makes the reaper's
/// pass split it (recorded; the next pass spreads the stock, so orders that read one entity just before the switch still
/// find it all there), later orders reserve at their home shard, a
/// quiet time sets it back to one entity (the shard's available units go home) while the shard's hold keeps it
/// remembered, and once the shard is empty it is forgotten. Nothing is oversold and every entity's ledger sums to its counters.
/// </summary>
public sealed class AutoSplitTests
{
    private const string Sku = "HOT";

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task ReaperPasses_BurstOnOneSku_SplitItThenSetItBackAfterTheQuietTime(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add(Sku);
        h.Ports.Inventory.AutoSplit = new AutoSplitOptions { Enabled = true, Shards = 2, OnAbove = 3, OffBelow = 1, OffAfter = TimeSpan.FromMinutes(10) };
        await h.StockAsync(Sku, ("east", 40));
        var options = Microsoft.Extensions.Options.Options.Create(h.Ports.Inventory);
        var reaper = new ReservationReaper(h.Ports.Catalog, NullLogger<ReservationReaper>.Instance, options, new AutoSplitter(h.Ports.AutoSplits, options, NullLogger<AutoSplitter>.Instance));

        // A burst of 8 orders, each reserving one unit at the SKU's own entity (more than 3 in the minute however it falls).
        var burst = Enumerable.Range(3101, 8).Select(n => TestOrders.Create(n.ToString(CultureInfo.InvariantCulture), (Sku, 1, 10_00))).ToList();
        foreach (var order in burst)
        {
            await h.StartOrderAsync(order);
        }

        await Task.WhenAll(burst.Select(o => h.DispatchedAsync($"{o.OrderId}-F1")));
        Assert.Equal(1, h.Ports.Inventory.ShardsOf(Sku));

        var now = DateTimeOffset.UtcNow;
        await PassAsync(h, reaper, now, rebalanced: false);

        Assert.Equal((2, now), (h.Ports.AutoSplits.Of(Sku)!.Shards, h.Ports.AutoSplits.Of(Sku)!.Since));
        Assert.Equal(2, h.Ports.Inventory.ShardsOf(Sku));
        var shardKey = StockShards.Key(Sku, 1);

        // The stock stays in the SKU's own entity until the next pass (orders that read one entity before the switch may
        // still be reserving there): an order that reads the switch meanwhile finds its home shard empty and gathers.
        Assert.Null(await h.InventoryAsync(shardKey));
        var between = TestOrders.Create(OrderOrchestratorSplitStockTests.ExternalIdWithHome(2, 1, 3301), (Sku, 1, 10_00));
        await h.StartOrderAsync(between);
        await h.DispatchedAsync($"{between.OrderId}-F1");
        Assert.Contains(h.Ports.StockJournal.Lines(Sku), l => l.Movement.OrderId == between.OrderId && l.Movement.ReservedDelta == 1);

        await PassAsync(h, reaper, now.AddMinutes(1));
        Assert.Equal(2, h.Ports.Inventory.ShardsOf(Sku));
        Assert.Equal(15, (await h.InventoryAsync(shardKey))!.OnHand); // 31 available spread over two entities (16 stay)

        // A later order reads its stock policies after the switch and reserves at its home shard.
        var later = TestOrders.Create(OrderOrchestratorSplitStockTests.ExternalIdWithHome(2, 1, 3201), (Sku, 1, 10_00));
        await h.StartOrderAsync(later);
        await h.DispatchedAsync($"{later.OrderId}-F1");
        Assert.Contains(h.Ports.StockJournal.Lines(shardKey), l => l.Movement.OrderId == later.OrderId && l.Movement.ReservedDelta == 1);
        Assert.DoesNotContain(h.Ports.StockJournal.Lines(Sku), l => l.Movement.OrderId == later.OrderId);

        // Quiet: the first quiet pass starts the quiet time, a pass within it changes nothing, one after it switches off.
        var quiet = now.AddHours(1);
        await PassAsync(h, reaper, quiet);
        await PassAsync(h, reaper, quiet.AddMinutes(9));
        Assert.Equal((2, (DateTimeOffset?)quiet), (h.Ports.AutoSplits.Of(Sku)!.Shards, h.Ports.AutoSplits.Of(Sku)!.QuietSince));

        await PassAsync(h, reaper, quiet.AddMinutes(10));

        Assert.Equal(1, h.Ports.Inventory.ShardsOf(Sku));
        Assert.True(h.Ports.Inventory.WasSplit(Sku), "the shard still holds the later order's unit");
        var shard = (await h.InventoryAsync(shardKey))!;
        var own = (await h.InventoryAsync(Sku))!;
        Assert.Equal((1, 1), (shard.OnHand, shard.Reserved)); // only the held unit stays; the other 14 went home
        Assert.Equal((39, 9), (own.OnHand, own.Reserved));
        AssertNotOversold(own, shard);

        // The later order ships from the shard; the next pass finds the shard empty and forgets the split.
        await h.ConfirmShippedAsync(later.OrderId, $"{later.OrderId}-F1");
        Assert.Equal(OrderStatus.Fulfilled, (await h.OutcomeAsync(later.OrderId)).Status);
        await PassAsync(h, reaper, quiet.AddMinutes(20));

        Assert.Null(h.Ports.AutoSplits.Of(Sku));
        Assert.False(h.Ports.Inventory.WasSplit(Sku));
        shard = (await h.InventoryAsync(shardKey))!;
        own = (await h.InventoryAsync(Sku))!;
        Assert.Equal((0, 0), (shard.OnHand, shard.Reserved));
        Assert.Equal((39, 9), (own.OnHand, own.Reserved));
        AssertNotOversold(own, shard);
        OrderOrchestratorSplitStockTests.AssertLedgerMatches(h, Sku, own);
        OrderOrchestratorSplitStockTests.AssertLedgerMatches(h, shardKey, shard);
    }

    /// <summary>One reaper pass, to the end of the SKU's rebalance and stock check when the SKU is (or was) split after it.</summary>
    private static async Task PassAsync(WorkflowHarness h, ReservationReaper reaper, DateTimeOffset asOf, bool rebalanced = true)
    {
        await reaper.RunOnceAsync(new EngineWorkflowClient(h.Client), asOf);
        if (rebalanced && h.Ports.Inventory.WasSplit(Sku))
        {
            var done = await h.Client.WaitForCompletionAsync($"stock-check-{Sku}-{asOf.UtcTicks}", h.WaitTimeout);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        }
    }

    private static void AssertNotOversold(params SkuInventory[] entities)
    {
        Assert.All(entities, e => Assert.All(e.Locations.Values, l => Assert.InRange(l.Reserved, 0, l.OnHand)));
        Assert.Equal(40, entities.Sum(e => e.OnHand) + entities.Sum(e => e.Committed.Count)); // one unit per commit in this test
    }
}
