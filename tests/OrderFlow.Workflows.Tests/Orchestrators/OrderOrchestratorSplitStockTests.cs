using Microsoft.DurableTask.Client;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Tests.Harness;
using Xunit.Abstractions;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision 11 (StockSplitAcrossShards): a hot SKU's stock split across shard entities (<c>Inventory:SplitSkus</c>). An
/// order reserves at the shard its id picks, falls back to the others, and gathers every shard's units into the SKU's
/// own entity before a shortage counts; commits and releases go to the shard that holds the order's reservation; the
/// rebalancer spreads stock over the shards. Nothing may oversell and the ledger of every shard sums to its counters.
/// </summary>
public sealed class OrderOrchestratorSplitStockTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_SplitSku_ReservesAtHomeShardAndCommitsThere(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("HOT");
        Assert.Equal(2, await h.SplitStockAsync("HOT", 2, ("east", 4)));
        var order = TestOrders.Create(ExternalIdWithHome(2, 1, 1101), ("HOT", 1, 30_00));

        var outcome = await h.ShipToTheEndAsync(order);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var shard = (await h.InventoryAsync(StockShards.Key("HOT", 1)))!;
        var own = (await h.InventoryAsync("HOT"))!;
        Assert.Equal((1, 0), (shard.OnHand, shard.Reserved));
        Assert.Equal((2, 0), (own.OnHand, own.Reserved));
        Assert.Contains(h.Ports.StockJournal.Lines(StockShards.Key("HOT", 1)), l => l.Movement.Reason == StockReasons.Commit && l.Movement.OrderId == order.OrderId);
        Assert.DoesNotContain(h.Ports.StockJournal.Lines("HOT"), l => l.Movement.OrderId == order.OrderId);
        AssertLedgerMatches(h, "HOT", own);
        AssertLedgerMatches(h, StockShards.Key("HOT", 1), shard);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_NoShardHoldsTheQuantityAlone_GathersIntoTheSkuAndReservesThere(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("HOT");
        await h.SplitStockAsync("HOT", 4, ("east", 3), ("west", 2));
        Assert.All(await h.ShardsAsync("HOT", 4), s => Assert.True(s.OnHand <= 2, $"on hand {s.OnHand} after spreading"));
        var order = TestOrders.Create("1102", ("HOT", 5, 30_00));

        var outcome = await h.ShipToTheEndAsync(order, parcels: 2);

        // Five units exist, no shard held five: gathered into HOT's own entity, reserved and shipped from there.
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var shards = await h.ShardsAsync("HOT", 4);
        Assert.All(shards, s => Assert.Equal((0, 0), (s.OnHand, s.Reserved)));
        Assert.Equal(5, h.Ports.StockJournal.Lines("HOT").Where(l => l.Movement.Reason == StockReasons.Commit).Sum(l => -l.Movement.OnHandDelta));
        Assert.Contains(h.Ports.StockJournal.Lines("HOT"), l => l.Movement.Reason.StartsWith(StockReasons.ShardIn + " gather order:" + order.OrderId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_EveryShardShortAfterTheGather_OutOfStockPolicyApplies()
    {
        await using var h = await WorkflowHarness.StartAsync(DurableEngineBackend.InMemory);
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("HOT", "Hot item", true, OutOfStockPolicies.Backorder));
        await h.SplitStockAsync("HOT", 3, ("east", 3));
        var order = TestOrders.Create("1103", ("HOT", 5, 30_00));

        await h.StartOrderAsync(order);
        await h.UntilAsync(() => h.Ports.Orders.StatusOf(order.OrderId) == OrderStatus.PartiallyFulfilled || h.Ports.Fulfillment.Dispatches.Any(d => d.OrderId == order.OrderId), "three units handed off");

        // All three units were gathered and reserved, the other two wait in HOT's own queue (a true stockout).
        var own = (await h.InventoryAsync("HOT"))!;
        Assert.Equal([(order.OrderId, 2)], own.Backorders.Select(b => (b.OrderId, b.Quantity)));
        Assert.Equal(3, own.Reservations[order.OrderId].Quantity);
        Assert.Equal((3, 3), (own.OnHand, own.Reserved));
        Assert.All((await h.ShardsAsync("HOT", 3)).Skip(1), s => Assert.Equal(0, s.OnHand));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task StockCountAndWriteOff_SplitSku_LandOnTheWholeSkuAndKeepReservations(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("HOT");
        await h.SplitStockAsync("HOT", 3, ("east", 9));
        var order = TestOrders.Create("1104", ("HOT", 1, 30_00));
        await h.StartOrderAsync(order);
        await h.DispatchedAsync($"{order.OrderId}-F1");

        // A count of 7 at east: 7 units across the SKU's entities, the order's unit still held where it was reserved.
        await h.ChangeStockAsync(new StockAdjustment("HOT", new Dictionary<string, int> { ["east"] = 7 }, "test", "stock count", Shards: 3));
        var entities = await h.ShardsAsync("HOT", 3);
        Assert.Equal((7, 1), (entities.Sum(e => e.OnHand), entities.Sum(e => e.Reserved)));
        Assert.Single(entities, e => e.Reservations.ContainsKey(order.OrderId));

        // Writing off 6 removes every unit nobody holds, wherever it was.
        await h.ChangeStockAsync(new StockAdjustment("HOT", new Dictionary<string, int>(), "test", "write-off", new Dictionary<string, int> { ["east"] = -6 }, Shards: 3));
        await h.ConfirmShippedAsync(order.OrderId, $"{order.OrderId}-F1");
        Assert.Equal(OrderStatus.Fulfilled, (await h.OutcomeAsync(order.OrderId)).Status);
        entities = await h.ShardsAsync("HOT", 3);
        Assert.All(entities, e => Assert.Equal((0, 0), (e.OnHand, e.Reserved)));
        var keys = StockShards.Keys("HOT", 3);
        for (var i = 0; i < keys.Count; i++)
        {
            AssertLedgerMatches(h, keys[i], entities[i]);
        }
    }

    /// <summary>
    /// Many orders of one split SKU at once, while the rebalancer runs, stock is received and some orders are cancelled:
    /// no unit is sold twice, every unit is in exactly one shard (on-hand of the shards = received - shipped), each
    /// shard's ledger sums to its counters, and no order waits in the queue while a shard holds an available unit.
    /// </summary>
    [Theory]
    [InlineData(DurableEngineBackend.InMemory, 120, 4, 30)]
    [InlineData(DurableEngineBackend.AzureStorage, 16, 4, 8)]
    public async Task RunAsync_ConcurrentOrdersRebalanceRestockAndCancellations_NeverOversold(DurableEngineBackend backend, int orders, int shardCount, int units)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("HOT", "Hot item", true, OutOfStockPolicies.Backorder));
        await h.SplitStockAsync("HOT", shardCount, ("east", units / 2), ("west", units - (units / 2)));

        var placed = Enumerable.Range(0, orders).Select(i => TestOrders.Create($"split{i:D3}", ("HOT", 1 + (i % 5 == 0 ? 1 : 0), 30_00))).ToList();
        var wanted = placed.Sum(o => o.Lines.Sum(l => l.Quantity));
        var cancelled = placed.Where((_, i) => i % 7 == 3).ToList();
        var restock = units / 3;
        var starts = placed.ToDictionary(o => o.OrderId, o => h.StartOrderAsync(o));
        var racing = new List<Task>
        {
            Task.WhenAll(starts.Values),
            h.RebalanceAsync("HOT", shardCount, "r1"),
            h.ReceiveAsync("HOT", "east", restock),
            h.RebalanceAsync("HOT", shardCount, "r2"),
        };

        // A cancellation is raised once its order's workflow exists, as the cancel route does (it answers 404 before):
        // on Azure Storage an event raised to an instance that was never started is dropped.
        racing.AddRange(cancelled.Select(async o =>
        {
            await starts[o.OrderId];
            await h.CancelAsync(o.OrderId, new CancelOrderRequest($"c-{o.OrderId}", null, Restock: true, Refund: true, NotifyCustomer: false, "customer-request", "ops@example.test"));
        }));
        await Task.WhenAll(racing);

        // Every location confirms each hand-off; the run is over when every order ended or waits for HOT units.
        var confirmed = new HashSet<string>(StringComparer.Ordinal);
        var timeout = TimeSpan.FromMinutes(backend == DurableEngineBackend.InMemory ? 3 : 8);
        bool Settled() => placed.All(o => h.Ports.Orders.StatusOf(o.OrderId) is OrderStatus.Fulfilled or OrderStatus.Backordered or OrderStatus.Cancelled
            || (h.Ports.Orders.StatusOf(o.OrderId) == OrderStatus.PartiallyFulfilled && h.Ports.Fulfillment.Dispatches.Where(d => d.OrderId == o.OrderId).All(d => confirmed.Contains(d.FulfillmentId))));
        for (var round = 0; round < 10 * orders && !Settled(); round++)
        {
            await h.Ports.Feed.UntilAsync(() => Settled() || h.Ports.Fulfillment.Dispatches.Any(d => !confirmed.Contains(d.FulfillmentId)), timeout, "a hand-off to confirm or every order settled");
            foreach (var dispatch in h.Ports.Fulfillment.Dispatches.Where(d => confirmed.Add(d.FulfillmentId)).ToList())
            {
                await h.ConfirmShippedAsync(dispatch.OrderId, dispatch.FulfillmentId);
            }
        }

        await h.Ports.Feed.UntilAsync(Settled, timeout, "every order ended, or waits for HOT units");

        // "Settled" counts an order waiting for backordered units, but the cancellation raised to it may still be on its
        // way: wait for the cancelled orders' workflows to end before reading the shards.
        foreach (var order in cancelled)
        {
            await h.Client.WaitForCompletionAsync(order.OrderId, h.WaitTimeout);
        }

        // Units that were held by orders ending now are released; a last pass moves free units to waiting orders.
        await h.RebalanceAsync("HOT", shardCount, "r-final");
        var keys = StockShards.Keys("HOT", shardCount);
        var entities = await h.ShardsAsync("HOT", shardCount);
        var shipped = h.Ports.Fulfillment.Dispatches.Where(d => confirmed.Contains(d.FulfillmentId)).SelectMany(d => d.Lines).Where(l => l.Sku == "HOT").Sum(l => l.Quantity);
        var committed = keys.Sum(k => h.Ports.StockJournal.Lines(k).Where(l => l.Movement.Reason == StockReasons.Commit).Sum(l => -l.Movement.OnHandDelta));
        var statuses = placed.GroupBy(o => h.Ports.Orders.StatusOf(o.OrderId)).ToDictionary(g => g.Key!.Value, g => g.Count());
        output.WriteLine($"{backend}: {orders} orders wanting {wanted} units, {units}+{restock} units over {shardCount} shards; statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}={s.Value}"))}");
        output.WriteLine($"shipped {shipped}, committed {committed}; per shard on hand/reserved: {string.Join(" ", entities.Select((e, i) => $"{keys[i]}={e.OnHand}/{e.Reserved}"))}");
        output.WriteLine($"reservations per shard: {string.Join(" ", keys.Select(k => $"{k}={h.Ports.StockJournal.Lines(k).Count(l => l.Movement.Reason == StockReasons.Reserve)}"))}");

        Assert.True(shipped <= units + restock, $"shipped {shipped} of {units + restock}");
        Assert.Equal(shipped, committed);
        Assert.Equal(units + restock - committed, entities.Sum(e => e.OnHand));
        Assert.All(entities, e => Assert.All(e.Locations.Values, l => Assert.True(l.Reserved >= 0 && l.Reserved <= l.OnHand, $"on hand {l.OnHand}, reserved {l.Reserved}")));
        for (var i = 0; i < keys.Count; i++)
        {
            AssertLedgerMatches(h, keys[i], entities[i]);
        }

        Assert.True(entities[0].Backorders.Count == 0 || entities.Sum(e => e.Available) == 0, $"orders wait while {entities.Sum(e => e.Available)} unit(s) are free");
        Assert.True(keys.Count(k => h.Ports.StockJournal.Lines(k).Any(l => l.Movement.Reason == StockReasons.Reserve)) >= 2, "reservations did not spread over the shards");
        Assert.All(cancelled, o => Assert.DoesNotContain(entities, e => e.Reservations.ContainsKey(o.OrderId) || e.Backorders.Any(b => b.OrderId == o.OrderId)));
    }

    /// <summary>An external order id whose order's home shard (of <paramref name="shards"/>) is <paramref name="home"/>.</summary>
    internal static string ExternalIdWithHome(int shards, int home, int from) =>
        Enumerable.Range(from, 1000).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .First(n => StockShards.TryOrder(TestOrders.Create(n, ("X", 1, 1)).OrderId, shards)[0] == home);

    internal static void AssertLedgerMatches(WorkflowHarness h, string key, SkuInventory inventory)
    {
        var lines = h.Ports.StockJournal.Lines(key);
        foreach (var (location, counters) in inventory.Locations)
        {
            Assert.Equal(counters.OnHand, lines.Where(l => l.Movement.Location == location).Sum(l => l.Movement.OnHandDelta));
            Assert.Equal(counters.Reserved, lines.Where(l => l.Movement.Location == location).Sum(l => l.Movement.ReservedDelta));
        }
    }
}
