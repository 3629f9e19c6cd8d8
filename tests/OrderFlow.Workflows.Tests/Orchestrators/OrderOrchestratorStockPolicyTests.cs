using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>Out-of-stock policies (backorder, substitute, cancel line), the movement ledger and low-stock alerts on the durable engine.</summary>
public sealed class OrderOrchestratorStockPolicyTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Backorder_ShipsWhatExistsThenTheRestAfterRestock(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("MUG", "Mug", true, OutOfStockPolicies.Backorder));
        await h.StockAsync("MUG", ("east", 2));
        var order = TestOrders.Create("4001", ("MUG", 5, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        var first = await h.DispatchedAsync($"{id}-F1");
        await h.ConfirmShippedAsync(id, $"{id}-F1");
        await h.UntilAsync(() => h.Ports.Orders.StatusOf(id) == OrderStatus.PartiallyFulfilled, "first parcel shipped, rest backordered");
        await h.UntilAsync(() => h.Ports.Payments.Captures.Count == 1, "the first parcel is captured before the backorder fills");
        var firstCapture = h.Ports.Payments.Captures.Single();
        var waiting = await h.InventoryAsync("MUG");
        await h.ReceiveAsync("MUG", "east", 4);
        var second = await h.DispatchedAsync($"{id}-F2");
        await h.ConfirmShippedAsync(id, $"{id}-F2");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(2, Assert.Single(first.Lines).Quantity);
        Assert.Equal(3, Assert.Single(second.Lines).Quantity);
        Assert.Equal((new Domain.Common.Money(24_00, "USD"), false), (firstCapture.Amount, firstCapture.FinalCapture));
        Assert.True(h.Ports.Payments.Captures[^1].FinalCapture);
        Assert.Equal(3, Assert.Single(waiting!.Backorders).Quantity);
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Contains(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Backordered && n.Details![CustomerNotification.DetailKeys.Items] == "MUG:3");
        Assert.Equal(2, h.Ports.Notifier.SentFor(id).Count(n => n.Milestone == Milestone.Shipped));
        Assert.Equal(order.Totals.Total, h.Ports.Payments.Captures.Aggregate(Domain.Common.Money.Zero("USD"), (sum, c) => sum + c.Amount));
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((1, 0), (mug!.OnHand, mug.Reserved));
        AssertLedgerMatches(h, "MUG", mug);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task Backorder_RestockFillsTheOldestWaitingOrderFirst(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("MUG", "Mug", true, OutOfStockPolicies.Backorder));
        await h.StockAsync("MUG", ("east", 0));
        var older = TestOrders.Create("4002", ("MUG", 2, 12_00));
        var newer = TestOrders.Create("4003", ("MUG", 2, 12_00));

        await h.StartOrderAsync(older);
        await h.UntilAsync(() => h.Ports.Orders.StatusOf(older.OrderId) == OrderStatus.Backordered, "older order backordered");
        await h.StartOrderAsync(newer);
        await h.UntilAsync(() => h.Ports.Orders.StatusOf(newer.OrderId) == OrderStatus.Backordered, "newer order backordered");
        await h.ReceiveAsync("MUG", "east", 3);
        var filled = await h.DispatchedAsync($"{older.OrderId}-F1");
        var mug = await h.InventoryAsync("MUG");

        Assert.Equal(2, Assert.Single(filled.Lines).Quantity);
        Assert.DoesNotContain(h.Ports.Fulfillment.Dispatches, d => d.OrderId == newer.OrderId);
        Assert.Equal(newer.OrderId, Assert.Single(mug!.Backorders).OrderId);
        Assert.Equal(1, mug.Backorders[0].Quantity);
        Assert.Equal(1, mug.Reservations[newer.OrderId].Quantity);
        AssertLedgerMatches(h, "MUG", mug);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Substitute_ShipsTheConfiguredSubstituteAndTellsTheCustomer(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("TEE-RED", "Red tee", true, OutOfStockPolicies.Substitute, "TEE-BLUE"));
        h.Ports.Catalog.Add("TEE-BLUE");
        await h.StockAsync("TEE-RED", ("east", 0));
        await h.StockAsync("TEE-BLUE", ("east", 5));
        var order = TestOrders.Create("4004", ("TEE-RED", 2, 20_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal(("TEE-BLUE", 2), (h.Ports.Fulfillment.Dispatches.Single().Lines.Single().Sku, h.Ports.Fulfillment.Dispatches.Single().Lines.Single().Quantity));
        var told = Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Substituted);
        Assert.Equal("TEE-RED:2", told.Details![CustomerNotification.DetailKeys.Items]);
        Assert.Equal(order.Totals.Total, h.Ports.Payments.Captures.Single().Amount);
        var blue = await h.InventoryAsync("TEE-BLUE");
        var red = await h.InventoryAsync("TEE-RED");
        Assert.Equal((3, 0), (blue!.OnHand, blue.Reserved));
        Assert.Equal((0, 0), (red!.OnHand, red.Reserved));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task CancelLine_ShipsTheRestAndWithholdsTheCancelledLine(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("TEE", "Tee", true, OutOfStockPolicies.Cancel));
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("east", 1));
        var order = TestOrders.Create("4005", ("MUG", 1, 12_00), ("TEE", 2, 20_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.PartiallyFulfilled, outcome.Status);
        Assert.Equal("MUG", h.Ports.Fulfillment.Dispatches.Single().Lines.Single().Sku);
        var told = Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Cancelled);
        Assert.Equal("TEE:2", told.Details![CustomerNotification.DetailKeys.Items]);

        // 40.00 of goods not shipped and their share of the tax are withheld from the capture and the books.
        var captured = h.Ports.Payments.Captures.Single().Amount;
        Assert.True(captured.MinorUnits < order.Totals.Total.MinorUnits - 40_00 + 1, $"captured {captured}");
        var tee = await h.InventoryAsync("TEE");
        Assert.Equal((1, 0), (tee!.OnHand, tee.Reserved));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task LowStock_AlertsOncePerCrossingNotPerOrder(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.ChangeStockAsync(new StockAdjustment("MUG", new Dictionary<string, int> { ["east"] = 6 }, "test", "stock count", SetReorderThreshold: true, ReorderThreshold: 4));
        var orders = Enumerable.Range(1, 4).Select(i => TestOrders.Create($"45{i:D2}", ("MUG", 1, 12_00))).ToList();

        foreach (var order in orders)
        {
            await h.StartOrderAsync(order);
            await h.DispatchedAsync($"{order.OrderId}-F1");
        }

        await h.UntilAsync(() => h.Ports.StockJournal.Notified == 1, "the low-stock alert was emailed");
        await h.ReceiveAsync("MUG", "east", 10);
        await h.StartOrderAsync(TestOrders.Create("4599", ("MUG", 9, 12_00)));
        await h.UntilAsync(() => h.Ports.StockJournal.Notified == 2, "a second crossing after the restock alerted again");

        var alerts = h.Ports.StockJournal.Alerts;
        Assert.Equal(2, alerts.Count);
        Assert.Equal((3, 4), (alerts[0].Available, alerts[0].Threshold));
        Assert.Equal(3, alerts[1].Available);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task CancelBackorderedUnits_AfterPartialHandOff_KeepsTheHandedOffUnitsReservedAndNeverOversells(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("MUG", "Mug", true, OutOfStockPolicies.Backorder));
        await h.StockAsync("MUG", ("east", 2));
        var order = TestOrders.Create("4011", ("MUG", 5, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        // 2 units handed to the warehouse, 3 backordered; then the 3 waiting units are cancelled.
        await h.StartOrderAsync(order);
        await h.DispatchedAsync($"{id}-F1");
        await h.CancelAsync(id, new CancelOrderRequest("c-4011", [new CancelLine("MUG", 3)], true, true, true, "customer-request", "ops@example.test"));
        await h.UntilAsync(() => h.Ports.Notifier.SentFor(id).Any(n => n.Milestone == Milestone.Cancelled), "the backordered units were cancelled");
        var afterCancel = await h.InventoryAsync("MUG");

        // The warehouse still holds 2 units for the order: they are not for sale again.
        Assert.Empty(afterCancel!.Backorders);
        Assert.Equal((2, 2, 0), (afterCancel.OnHand, afterCancel.Reserved, afterCancel.Available));
        Assert.Equal(2, afterCancel.Reservations[id].Quantity);

        await h.ConfirmShippedAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);
        var mug = await h.InventoryAsync("MUG");

        Assert.Equal(OrderStatus.PartiallyFulfilled, outcome.Status);
        Assert.Equal((0, 0), (mug!.OnHand, mug.Reserved));
        Assert.DoesNotContain(h.Ports.Cases.CasesFor(id), c => c.Reason == ExceptionReason.StockCommitMismatch);
        AssertLedgerMatches(h, "MUG", mug);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Shipment_WhoseCommitMovesNoUnits_OpensAStockCommitMismatchCaseAndTheOrderCompletes(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("4012", ("MUG", 2, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        // The order's hold disappears while the parcel is with the warehouse (drift, a manual release).
        await h.StartOrderAsync(order);
        await h.DispatchedAsync($"{id}-F1");
        var release = $"release-{id}";
        Assert.True(await h.Client.StartOrchestrationAsync<ReleaseReservationOrchestrator>(release, new ReleaseReservation("MUG", id, StockReasons.Release, "test")));
        await h.Client.WaitForCompletionAsync(release, h.WaitTimeout);
        await h.ConfirmShippedAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var mismatch = Assert.Single(h.Ports.Cases.CasesFor(id), c => c.Reason == ExceptionReason.StockCommitMismatch);
        Assert.Contains("moved 0", mismatch.Error, StringComparison.Ordinal);
        Assert.Contains("MUG", mismatch.Error, StringComparison.Ordinal);
        Assert.Equal([CaseResolution.Approve], mismatch.AllowedResolutions);
    }

    private static void AssertLedgerMatches(WorkflowHarness h, string sku, SkuInventory stock)
    {
        var lines = h.Ports.StockJournal.Lines(sku);
        foreach (var (location, counters) in stock.Locations)
        {
            Assert.Equal(counters.OnHand, lines.Where(l => l.Movement.Location == location).Sum(l => l.Movement.OnHandDelta));
            Assert.Equal(counters.Reserved, lines.Where(l => l.Movement.Location == location).Sum(l => l.Movement.ReservedDelta));
        }
    }
}
