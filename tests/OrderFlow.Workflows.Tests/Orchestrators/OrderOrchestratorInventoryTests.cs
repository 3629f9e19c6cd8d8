using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>Reservations against the real inventory entity: all-or-nothing, summed per SKU, and no oversell under contention.</summary>
public sealed class OrderOrchestratorInventoryTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_OneSkuShortThenRestockedAndRetried_HoldsNothingThenReservesAll(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 1));
        var order = TestOrders.Create("3001", ("MUG", 2, 12_00), ("TEE", 3, 20_00));
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        var shortage = await h.CaseOpenedAsync(id, ExceptionReason.OutOfStock);
        var mugWhileShort = await h.InventoryAsync("MUG");
        var teeWhileShort = await h.InventoryAsync("TEE");
        await h.StockAsync("TEE", ("west", 5));
        await h.DecideAsync(shortage, CaseResolution.RetryStep);
        await h.DispatchedAsync($"{id}-F1");
        await h.DispatchedAsync($"{id}-F2");
        var mugReserved = await h.InventoryAsync("MUG");
        var teeReserved = await h.InventoryAsync("TEE");
        await h.ShipAsync(id, $"{id}-F1", $"{id}-F2");
        var outcome = await h.OutcomeAsync(id);

        Assert.Contains("SKU TEE: 3 requested, 1 available.", shortage.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("SKU MUG", shortage.Error, StringComparison.Ordinal);

        // All or nothing: MUG could be held but was not left reserved while TEE was short.
        Assert.Equal((5, 0, 0), (mugWhileShort!.OnHand, mugWhileShort.Reserved, mugWhileShort.Reservations.Count));
        Assert.Equal((1, 0, 0), (teeWhileShort!.OnHand, teeWhileShort.Reserved, teeWhileShort.Reservations.Count));

        Assert.Equal((2, 3), (mugReserved!.Reserved, teeReserved!.Reserved));
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal(
            [OrderStatus.Received, OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.OnHold, OrderStatus.PaymentConfirmed,
             OrderStatus.Reserved, OrderStatus.InFulfillment, OrderStatus.Fulfilled],
            h.Ports.Orders.HistoryOf(id));
        var mug = await h.InventoryAsync("MUG");
        var tee = await h.InventoryAsync("TEE");
        Assert.Equal((3, 0), (mug!.OnHand, mug.Reserved));
        Assert.Equal((2, 0), (tee!.OnHand, tee.Reserved));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_TwoLinesOfOneSkuExceedStockTogether_DoesNotReserve(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("3002", ("MUG", 3, 12_00), ("MUG", 3, 12_00));
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        var shortage = await h.CaseOpenedAsync(id, ExceptionReason.OutOfStock);
        var mug = await h.InventoryAsync("MUG");

        Assert.Contains("SKU MUG: 6 requested, 5 available.", shortage.Error, StringComparison.Ordinal);
        Assert.Equal((5, 0, 0), (mug!.OnHand, mug.Reserved, mug.Reservations.Count));
        Assert.DoesNotContain(OrderStatus.Reserved, h.Ports.Orders.HistoryOf(id));
        Assert.Empty(h.Ports.Fulfillment.Dispatches);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory, 40, 10)]
    [InlineData(DurableEngineBackend.AzureStorage, 10, 4)]
    public async Task RunAsync_MoreConcurrentOrdersThanStock_ReservesExactlyOnHandAndCasesTheRest(DurableEngineBackend backend, int orders, int onHand)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", onHand));
        var ids = Enumerable.Range(1, orders).Select(i => TestOrders.Create($"c{i:D3}", ("MUG", 1, 12_00))).ToList();

        await Task.WhenAll(ids.Select(o => h.StartOrderAsync(o)));
        var handedOff = 0;
        var shortOf = 0;
        await h.UntilAsync(
            () =>
            {
                handedOff = h.Ports.Fulfillment.Dispatches.Count;
                shortOf = h.Ports.Cases.Cases.Count(c => c.Reason == ExceptionReason.OutOfStock);
                return handedOff + shortOf >= orders
                    && ids.All(o => h.Ports.Orders.StatusOf(o.OrderId) is OrderStatus.InFulfillment or OrderStatus.OnHold);
            },
            $"all {orders} orders are either handed off or held for stock");
        var mug = await h.InventoryAsync("MUG");

        Assert.Equal(onHand, handedOff);
        Assert.Equal(orders - onHand, shortOf);
        Assert.Equal(onHand, ids.Count(o => h.Ports.Orders.HistoryOf(o.OrderId).Contains(OrderStatus.Reserved)));
        Assert.Equal(onHand, ids.Count(o => h.Ports.Orders.StatusOf(o.OrderId) == OrderStatus.InFulfillment));
        Assert.All(h.Ports.Cases.Cases, c => Assert.Contains("SKU MUG: 1 requested, 0 available.", c.Error, StringComparison.Ordinal));

        // The entity holds exactly its stock, one unit per winning order. Nothing here releases a hold, so an
        // oversell at any moment would still show as a reservation beyond on-hand.
        Assert.Equal((onHand, onHand, 0), (mug!.OnHand, mug.Reserved, mug.Available));
        Assert.All(mug.Locations.Values, l => Assert.True(l.Reserved <= l.OnHand, $"reserved {l.Reserved} > on hand {l.OnHand}"));
        Assert.Equal(
            h.Ports.Fulfillment.Dispatches.Select(d => d.OrderId).Order(StringComparer.Ordinal),
            mug.Reservations.Keys.Order(StringComparer.Ordinal));
    }
}
