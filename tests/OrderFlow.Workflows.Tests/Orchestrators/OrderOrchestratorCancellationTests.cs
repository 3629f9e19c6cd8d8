using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>Cancellation requests raised to a running order workflow: whole order, after a partial shipment, lines, restock and refund choices.</summary>
public sealed class OrderOrchestratorCancellationTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task WholeOrder_WhileAwaitingConfirmation_ReleasesStockVoidsAndTellsTheCustomer(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("6001", ("MUG", 2, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        await h.DispatchedAsync($"{id}-F1");
        await h.CancelAsync(id, new CancelOrderRequest("c-1", null, Restock: true, Refund: true, NotifyCustomer: true, "customer-request", "ops@example.test"));
        var outcome = await h.OutcomeAsync(id);
        var mug = await h.InventoryAsync("MUG");

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Contains("customer-request", outcome.Summary, StringComparison.Ordinal);
        Assert.Equal((5, 0), (mug!.OnHand, mug.Reserved));
        Assert.Empty(h.Ports.Payments.Captures);
        Assert.Equal(order.Totals.Total, Assert.Single(h.Ports.Payments.Refunds).Amount);
        var told = Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Cancelled);
        Assert.Equal("customer-request", told.Details![CustomerNotification.DetailKeys.Reason]);
        Assert.Contains(h.Ports.Orders.Get(id).Timeline, t => t.Message.StartsWith("Cancellation c-1 by ops@example.test", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task WholeOrder_WhileWaitingForBackorderedUnits_IsCancelledAtOnceAndLeavesTheQueue(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("MUG", "Mug", true, Options.OutOfStockPolicies.Backorder));
        await h.StockAsync("MUG", ("east", 0));
        var order = TestOrders.Create("6011", ("MUG", 2, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        // Backorder waits last 30 days (the default): the request must not wait for the fill or the deadline.
        await h.StartOrderAsync(order);
        await h.UntilAsync(() => h.Ports.Orders.StatusOf(id) == OrderStatus.Backordered, "the order waits for backordered units");
        await h.CancelAsync(id, new CancelOrderRequest("c-11", null, Restock: true, Refund: true, NotifyCustomer: true, "customer-request", "ops@example.test"));
        var outcome = await h.OutcomeAsync(id);
        var mug = await h.InventoryAsync("MUG");

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Empty(mug!.Backorders);
        Assert.Empty(h.Ports.Payments.Captures);
        Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Cancelled);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Line_BackorderedUnitsAfterAPartialShipment_LeaveTheQueueAndTheOrderCompletesWithWhatShipped(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("MUG", "Mug", true, Options.OutOfStockPolicies.Backorder));
        await h.StockAsync("MUG", ("east", 2));
        var order = TestOrders.Create("6012", ("MUG", 5, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        await h.ShipAsync(id, $"{id}-F1");
        await h.UntilAsync(() => h.Ports.Orders.StatusOf(id) == OrderStatus.PartiallyFulfilled, "2 shipped, 3 backordered");
        await h.CancelAsync(id, new CancelOrderRequest("c-12", [new CancelLine("MUG", 3)], true, true, true, "customer-request", "ops@example.test"));
        var outcome = await h.OutcomeAsync(id);
        var mug = await h.InventoryAsync("MUG");

        Assert.Equal(OrderStatus.PartiallyFulfilled, outcome.Status);
        Assert.Empty(mug!.Backorders);
        Assert.Equal((0, 0), (mug.OnHand, mug.Reserved));
        var captured = h.Ports.Payments.Captures.Aggregate(Money.Zero("USD"), (sum, c) => sum + c.Amount);
        Assert.True(captured.MinorUnits <= order.Totals.Total.MinorUnits - 36_00, $"captured {captured} includes the 3 cancelled mugs");
        Assert.Equal("MUG:3", Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Cancelled).Details![CustomerNotification.DetailKeys.Items]);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task WholeOrder_AfterOneOfTwoParcelsShipped_StopsTheOtherAndChargesOnlyWhatShipped(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 5));
        var order = TestOrders.Create("6002", ("MUG", 1, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        var dispatches = new[] { await h.DispatchedAsync($"{id}-F1"), await h.DispatchedAsync($"{id}-F2") };
        var mugParcel = dispatches.Single(d => d.Lines.Single().Sku == "MUG");
        var teeParcel = dispatches.Single(d => d.Lines.Single().Sku == "TEE");
        await h.ConfirmShippedAsync(id, mugParcel.FulfillmentId);
        await h.UntilAsync(() => h.Ports.Notifier.SentFor(id).Any(n => n.Milestone == Milestone.Shipped), "the first parcel shipped");
        await h.CancelAsync(id, new CancelOrderRequest("c-2", null, true, true, true, "customer-request", "ops@example.test"));
        var outcome = await h.OutcomeAsync(id);
        var tee = await h.InventoryAsync("TEE");

        Assert.Equal(OrderStatus.PartiallyFulfilled, outcome.Status);
        var captured = h.Ports.Payments.Captures.Aggregate(Money.Zero("USD"), (sum, c) => sum + c.Amount);
        Assert.True(captured.MinorUnits < order.Totals.Total.MinorUnits - 20_00 + 1, $"captured {captured} includes the stopped parcel");
        Assert.Equal((5, 0), (tee!.OnHand, tee.Reserved));
        Assert.Equal("cancelled", h.Ports.Orders.Get(id).Fulfillments.Single(f => f.FulfillmentId == teeParcel.FulfillmentId).Status);
        var remainder = Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Cancelled);
        Assert.Equal("TEE:1", remainder.Details![CustomerNotification.DetailKeys.Items]);
        Assert.Contains(h.Ports.Orders.Get(id).Timeline, t => t.Message.Contains("Parcels already shipped cannot be cancelled", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task Line_BeforeReservation_IsDroppedAndNotCharged(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("east", 5));
        var order = TestOrders.Create("6003", ("MUG", 1, 12_00), ("TEE", 2, 20_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.Failed, failureReason: "card_declined");

        await h.StartOrderAsync(order);
        var paymentCase = await h.CaseOpenedAsync(id, ExceptionReason.PaymentFailed);
        await h.CancelAsync(id, new CancelOrderRequest("c-3", [new CancelLine("TEE", 2)], true, true, true, "customer-request", "ops@example.test"));
        await h.UntilAsync(() => h.Ports.Notifier.SentFor(id).Any(n => n.Milestone == Milestone.Cancelled), "the line cancellation was announced");
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
        await h.DecideAsync(paymentCase, CaseResolution.RetryStep);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);
        var tee = await h.InventoryAsync("TEE");

        Assert.Equal(OrderStatus.PartiallyFulfilled, outcome.Status);
        Assert.Equal("MUG", Assert.Single(h.Ports.Fulfillment.Dispatches).Lines.Single().Sku);
        Assert.Equal((5, 0), (tee!.OnHand, tee.Reserved));
        Assert.True(h.Ports.Payments.Captures.Single().Amount.MinorUnits < order.Totals.Total.MinorUnits - 40_00 + 1);
        Assert.Equal("TEE:2", h.Ports.Notifier.SentFor(id).Single(n => n.Milestone == Milestone.Cancelled).Details![CustomerNotification.DetailKeys.Items]);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task PaidUpFront_NotRestockedAndRefundRefusedOnce_WritesOffAndRefundsAfterRetry(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("6004", ("MUG", 2, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.DeclineRefunds();

        await h.StartOrderAsync(order);
        await h.DispatchedAsync($"{id}-F1");
        await h.CancelAsync(id, new CancelOrderRequest("c-4", null, Restock: false, Refund: true, NotifyCustomer: false, "other", "ops@example.test"));
        OpenCaseRequest? refundCase = null;
        await h.UntilAsync(() => (refundCase = h.Ports.Cases.CasesFor(id).FirstOrDefault(c => c.Reason == ExceptionReason.RefundFailed)) is not null, "a RefundFailed case is open");
        h.Ports.Payments.AcceptRefunds();
        await h.DecideAsync(refundCase!, CaseResolution.RetryStep);
        var outcome = await h.OutcomeAsync(id);
        var mug = await h.InventoryAsync("MUG");

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal(order.Totals.Total, Assert.Single(h.Ports.Payments.Refunds).Amount);
        Assert.Equal((3, 0), (mug!.OnHand, mug.Reserved));
        Assert.Contains(h.Ports.StockJournal.Lines("MUG"), l => l.Movement.Reason == "cancelled-not-restocked" && l.Movement.OnHandDelta == -2);
        Assert.DoesNotContain(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Cancelled);
    }
}
