using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Tests.Harness;
using Xunit.Abstractions;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Issue 3's oversell test on the durable engine: 1,000 orders at once against one hot SKU with 100 units (plus
/// multi-SKU orders sharing it), with 10% of the inventory's ledger writes failing transiently (the entity operation
/// rolls back and is called again). Every location confirms what it is handed. Nothing may oversell.
/// </summary>
public sealed class HotSkuConcurrencyTests(ITestOutputHelper output)
{
    private const int Orders = 1_000;
    private const int MultiSku = 200;
    private const int HotUnits = 100;

    [Fact]
    public async Task ThousandConcurrentOrders_OneHotSku_NeverOversellAndLedgerMatchesCounters()
    {
        await using var h = await WorkflowHarness.StartAsync(DurableEngineBackend.InMemory);
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("HOT", "Hot item", true, OutOfStockPolicies.Backorder));
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("HOT", ("east", 60), ("west", 40));
        await h.StockAsync("MUG", ("east", 10_000));
        h.Ports.StockJournal.FailureRate = 0.10;

        var orders = Enumerable.Range(1, Orders)
            .Select(i => i <= MultiSku ? TestOrders.Create($"h{i:D4}", ("HOT", 1, 30_00), ("MUG", 1, 12_00)) : TestOrders.Create($"h{i:D4}", ("HOT", 1, 30_00)))
            .ToList();
        await Task.WhenAll(orders.Select(o => h.StartOrderAsync(o)));

        // Every location confirms each hand-off; the run is over when every order is fulfilled or waits for HOT units.
        var confirmed = new HashSet<string>(StringComparer.Ordinal);
        var timeout = TimeSpan.FromMinutes(10);
        bool Settled() => orders.All(o => h.Ports.Orders.StatusOf(o.OrderId) is OrderStatus.Fulfilled or OrderStatus.Backordered
            || (h.Ports.Orders.StatusOf(o.OrderId) == OrderStatus.PartiallyFulfilled && h.Ports.Fulfillment.Dispatches.Where(d => d.OrderId == o.OrderId).All(d => confirmed.Contains(d.FulfillmentId))));
        for (var round = 0; round < 10 * Orders && !Settled(); round++)
        {
            await h.Ports.Feed.UntilAsync(() => Settled() || h.Ports.Fulfillment.Dispatches.Any(d => !confirmed.Contains(d.FulfillmentId)), timeout, "a hand-off to confirm or every order settled");
            foreach (var dispatch in h.Ports.Fulfillment.Dispatches.Where(d => confirmed.Add(d.FulfillmentId)))
            {
                await h.ConfirmShippedAsync(dispatch.OrderId, dispatch.FulfillmentId);
            }
        }

        await h.Ports.Feed.UntilAsync(Settled, timeout, "every order fulfilled or backordered");
        var hot = await h.InventoryAsync("HOT");
        var mug = await h.InventoryAsync("MUG");
        var statuses = orders.GroupBy(o => h.Ports.Orders.StatusOf(o.OrderId)).ToDictionary(g => g.Key!.Value, g => g.Count());
        var hotShipped = h.Ports.Fulfillment.Dispatches.SelectMany(d => d.Lines).Where(l => l.Sku == "HOT").Sum(l => l.Quantity);
        var hotLedger = h.Ports.StockJournal.Lines("HOT");

        output.WriteLine($"orders {Orders} ({MultiSku} multi-SKU); statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}={s.Value}"))}");
        output.WriteLine($"HOT: shipped {hotShipped} of {HotUnits}; on hand {hot!.OnHand}, reserved {hot.Reserved}; backorders {hot.Backorders.Count} order(s), {hot.BackorderedUnits} unit(s)");
        output.WriteLine($"ledger: {hotLedger.Count} HOT movements; writes {h.Ports.StockJournal.Writes}, injected failures {h.Ports.StockJournal.Failures}");

        // Confirmed units never exceed stock, and every unit went to exactly one order.
        Assert.Equal(HotUnits, hotShipped);
        Assert.Equal(0, hot.OnHand);
        Assert.All(hot.Locations.Values.Concat(mug!.Locations.Values), l => Assert.True(l.OnHand >= 0 && l.Reserved >= 0 && l.Reserved <= l.OnHand, $"on hand {l.OnHand}, reserved {l.Reserved}"));
        Assert.Equal(Orders - HotUnits, hot.BackorderedUnits);
        Assert.Equal(Orders - HotUnits, hot.Backorders.Count);
        Assert.Equal(HotUnits, h.Ports.Fulfillment.Dispatches.Where(d => d.Lines.Any(l => l.Sku == "HOT")).Select(d => d.OrderId).Distinct().Count());

        // Every order ended fulfilled or waiting for its HOT unit; multi-SKU orders that wait shipped their MUG.
        Assert.Equal(Orders, statuses.Where(s => s.Key is OrderStatus.Fulfilled or OrderStatus.Backordered or OrderStatus.PartiallyFulfilled).Sum(s => s.Value));
        Assert.Equal(HotUnits, statuses.GetValueOrDefault(OrderStatus.Fulfilled));
        Assert.Equal(MultiSku, h.Ports.Fulfillment.Dispatches.SelectMany(d => d.Lines).Where(l => l.Sku == "MUG").Sum(l => l.Quantity));

        // The ledger sums to the counters, location by location, although a tenth of its writes failed first.
        foreach (var (sku, stock) in new[] { ("HOT", hot), ("MUG", mug) })
        {
            var lines = h.Ports.StockJournal.Lines(sku);
            foreach (var (location, counters) in stock.Locations)
            {
                Assert.Equal(counters.OnHand, lines.Where(l => l.Movement.Location == location).Sum(l => l.Movement.OnHandDelta));
                Assert.Equal(counters.Reserved, lines.Where(l => l.Movement.Location == location).Sum(l => l.Movement.ReservedDelta));
            }
        }

        Assert.True(h.Ports.StockJournal.Failures > 0, "the fault injection never fired");
    }
}
