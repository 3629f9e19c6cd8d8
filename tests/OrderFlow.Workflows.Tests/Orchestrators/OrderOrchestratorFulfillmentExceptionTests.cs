using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Host;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Fulfillments that do not go to plan on the real engine: confirmation timeouts, parallel holds, late
/// confirmations, partial shipments and declined captures.
/// </summary>
public sealed class OrderOrchestratorFulfillmentExceptionTests
{
    // One parcel must ship before the other's confirmation deadline passes: on real timers that is a race on a loaded
    // machine, so these run on the in-memory engine, where the test passes the deadline (ManualTimers).
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task RunAsync_OneFulfillmentNotConfirmedAndCancelled_ReleasesItsStockAndEndsPartiallyFulfilled(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 4));
        var order = TestOrders.Create("1009", ("MUG", 2, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        string f1 = $"{id}-F1", f2 = $"{id}-F2";

        await h.StartOrderAsync(order);
        await h.ShipAsync(id, f1);
        await h.DispatchedAsync(f2); // west never confirms
        await h.UntilAsync(() => h.Ports.Notifier.SentFor(id).Any(n => n.Milestone == Milestone.Shipped && n.FulfillmentId == f1), $"{f1} is shipped");
        await h.PassDeadlinesAsync(id, held: 2);
        var timedOut = await h.CaseOpenedAsync(id, ExceptionReason.FulfillmentTimeout);
        await h.UntilAsync(() => h.Ports.Orders.Get(id).Fulfillments.Any(f => f.FulfillmentId == f2 && f.Status == "on-hold"), "the held fulfillment shows it");
        var held = h.Ports.Orders.Get(id).Fulfillments.Single(f => f.FulfillmentId == f2);
        await h.DecideAsync(timedOut, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(nameof(ExceptionReason.FulfillmentTimeout), held.HoldReason);
        Assert.Equal($"confirm-{f2}", timedOut.Step);
        Assert.Contains(f2, timedOut.Error, StringComparison.Ordinal);
        Assert.Equal(new OrderOutcome(id, OrderStatus.PartiallyFulfilled, "1 of 2 fulfillment(s) shipped."), outcome);
        Assert.Equal(OrderStatus.PartiallyFulfilled, h.Ports.Orders.StatusOf(id));

        // East shipped and committed; west's hold is released, its units back on sale.
        var mug = await h.InventoryAsync("MUG");
        var tee = await h.InventoryAsync("TEE");
        Assert.Equal((3, 0), (mug!.OnHand, mug.Reserved));
        Assert.Equal((4, 0, 0), (tee!.OnHand, tee.Reserved, tee.Reservations.Count));

        var fulfillments = h.Ports.Orders.Get(id).Fulfillments.ToDictionary(f => f.FulfillmentId, f => f.Status);
        Assert.Equal("shipped", fulfillments[f1]);
        Assert.Equal("cancelled", fulfillments[f2]);
        Assert.Equal(
            [new CustomerNotification(id, Milestone.Shipped, f1)],
            h.Ports.Notifier.SentFor(id).Where(n => n.Milestone == Milestone.Shipped));

        // The customer heard that the late parcel is delayed, once, for that parcel only.
        var delayed = Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Delayed);
        Assert.Equal(f2, delayed.FulfillmentId);
        Assert.Equal("fulfillment-late", delayed.Details![CustomerNotification.DetailKeys.Reason]);
        Assert.Single(h.Ports.Cases.CasesFor(id));
        Assert.Single(h.Ports.Ledger.Posted);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_BothFulfillmentsTimeOutOneRetriedOneCancelled_HoldsUntilLastCaseThenEndsPartiallyFulfilled(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 4));
        var order = TestOrders.Create("1010", ("MUG", 2, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        string f1 = $"{id}-F1", f2 = $"{id}-F2";
        var settings = TestSettings.Default with { FulfillmentConfirmationTimeout = TimeSpan.FromSeconds(3) };

        await h.StartOrderAsync(order, settings);
        await h.UntilAsync(
            () => h.Ports.Cases.CasesFor(id).Count(c => c.Reason == ExceptionReason.FulfillmentTimeout) == 2
                && h.Ports.Orders.StatusOf(id) == OrderStatus.OnHold,
            "both fulfillments have a timeout case");
        var cases = h.Ports.Cases.CasesFor(id).ToDictionary(c => c.Step);
        // Each parcel's child opens its case and tells the order; the order holds once per case it was told of. Decide
        // only once it took both (else the first decision could resume an order that has not heard of the second case).
        await h.UntilAsync(
            () => cases.Values.All(c => h.Ports.Orders.RequestedTransitionsOf(id).Any(t => t.StartsWith("OnHold", StringComparison.Ordinal) && t.Contains(c.CaseId, StringComparison.Ordinal))),
            "the order took both cases' hold notices");
        // The location confirms while the case is open, straight to the parcel's child as production routes it, so the
        // retry finds it: confirmed after the retry, it would race the retry's own three-second wait (a loaded machine
        // lost that race, and the retry opened a third case).
        Assert.Equal(cases[$"confirm-{f1}"].WorkflowId, await new EngineWorkflowClient(h.Client).RaiseConfirmationAsync(id, new FulfillmentConfirmation(f1, FulfillmentConfirmation.Shipped, DateTimeOffset.UtcNow, null)));
        await h.DecideAsync(cases[$"confirm-{f1}"], CaseResolution.RetryStep);
        await h.UntilAsync(() => h.Ports.Notifier.SentFor(id).Any(n => n.Milestone == Milestone.Shipped && n.FulfillmentId == f1), $"{f1} is shipped");
        var statusWhileSecondCaseOpen = h.Ports.Orders.StatusOf(id);
        await h.DecideAsync(cases[$"confirm-{f2}"], CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        // One case still open keeps the order on hold, even after the other was resolved and its fulfillment shipped.
        Assert.Equal(OrderStatus.OnHold, statusWhileSecondCaseOpen);
        Assert.Equal(new OrderOutcome(id, OrderStatus.PartiallyFulfilled, "1 of 2 fulfillment(s) shipped."), outcome);
        Assert.Equal(
            [OrderStatus.Received, OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment,
             OrderStatus.OnHold, OrderStatus.InFulfillment, OrderStatus.PartiallyFulfilled],
            h.Ports.Orders.HistoryOf(id));
        var mug = await h.InventoryAsync("MUG");
        var tee = await h.InventoryAsync("TEE");
        Assert.Equal((3, 0), (mug!.OnHand, mug.Reserved));
        Assert.Equal((4, 0), (tee!.OnHand, tee.Reserved));
        Assert.Equal(2, h.Ports.Cases.CasesFor(id).Count);
    }

    // Revision 17 runs the parcel in its Fulfillment child (the case and the confirmation are the child's); from revision
    // 18 this one-parcel order runs it itself (the case is the order's, no workflow id, and the confirmation goes to it).
    [Theory]
    [InlineData(DurableEngineBackend.InMemory, OrderWorkflowVersions.ReservationPlannedInOneStep)]
    [InlineData(DurableEngineBackend.AzureStorage, OrderWorkflowVersions.ReservationPlannedInOneStep)]
    [InlineData(DurableEngineBackend.InMemory, OrderWorkflowVersions.SingleParcelInline)]
    [InlineData(DurableEngineBackend.AzureStorage, OrderWorkflowVersions.SingleParcelInline)]
    public async Task RunAsync_ConfirmationArrivesWhileTimeoutCaseIsOpen_RetryShipsWithoutWaitingAgain(DurableEngineBackend backend, int revision)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create($"1011{revision}", ("MUG", 1, 12_00));
        var id = order.OrderId;
        var f1 = $"{id}-F1";
        var settings = TestSettings.Default with { FulfillmentConfirmationTimeout = TimeSpan.FromSeconds(3) };

        await h.StartOrderAsync(order, settings, revision);
        var timedOut = await h.CaseOpenedAsync(id, ExceptionReason.FulfillmentTimeout);
        Assert.Equal(revision == OrderWorkflowVersions.SingleParcelInline ? null : $"{id}:{f1}", timedOut.WorkflowId);
        // The location confirms late, while a person looks at the case, straight to the workflow waiting for it as
        // production routes it (through the order, a child's forward could trail the decision by more than the retry's own wait).
        Assert.Equal(timedOut.WorkflowId ?? id, await new EngineWorkflowClient(h.Client).RaiseConfirmationAsync(id, new FulfillmentConfirmation(f1, FulfillmentConfirmation.Shipped, DateTimeOffset.UtcNow, null)));
        await h.DecideAsync(timedOut, CaseResolution.RetryStep);
        await h.UntilAsync(
            () => h.Ports.Orders.StatusOf(id) == OrderStatus.Fulfilled || h.Ports.Cases.CasesFor(id).Count > 1,
            "the order is fulfilled or times out again");

        // The late confirmation is not lost: the retry finds it instead of opening a second timeout case.
        Assert.Single(h.Ports.Cases.CasesFor(id));
        Assert.Equal(OrderStatus.Fulfilled, (await h.OutcomeAsync(id)).Status);
        Assert.Equal([new CustomerNotification(id, Milestone.Shipped, f1)], h.Ports.Notifier.SentFor(id).Where(n => n.Milestone == Milestone.Shipped));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_CaptureDeclinedAndNobodyDecides_OpensCaseAndStillCompletes(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("1012", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
        h.Ports.Payments.DeclineCaptures();
        var settings = TestSettings.Default with { CaseDeadline = TimeSpan.FromSeconds(2) };

        await h.StartOrderAsync(order, settings);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        // The goods left: the default (Cancel) drops the capture, not the order, and the order is not left on hold.
        var declined = Assert.Single(h.Ports.Cases.CasesFor(id));
        Assert.Equal(ExceptionReason.PaymentCaptureFailed, declined.Reason);
        Assert.Contains("authorization_expired", declined.Error, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal(OrderStatus.Fulfilled, h.Ports.Orders.StatusOf(id));
        Assert.Empty(h.Ports.Payments.Captures);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task RunAsync_PartialShipmentOfAuthorizedPayment_CapturesAndBooksOnlyWhatShipped(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 4));
        var order = TestOrders.Create("1013", ("MUG", 2, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        string f1 = $"{id}-F1", f2 = $"{id}-F2";
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        await h.ShipAsync(id, f1);
        await h.UntilAsync(() => h.Ports.Notifier.SentFor(id).Any(n => n.Milestone == Milestone.Shipped && n.FulfillmentId == f1), $"{f1} is shipped");
        await h.PassDeadlinesAsync(id, held: 2);
        await h.DecideAsync(await h.CaseOpenedAsync(id, ExceptionReason.FulfillmentTimeout), CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.PartiallyFulfilled, outcome.Status);

        // One capture, final (it releases the rest of the authorization), for the shipped mugs at least and never
        // for the tee that stayed in the warehouse.
        var capture = Assert.Single(h.Ports.Payments.Captures);
        Assert.True(capture.FinalCapture);
        Assert.Equal($"{id}:capture-{f1}", capture.IdempotencyKey);
        Assert.InRange(capture.Amount.MinorUnits, 2 * 12_00, order.Totals.Total.MinorUnits - 20_00);

        // The books agree with the money taken: revenue is the shipped goods only.
        var sale = Assert.Single(h.Ports.Ledger.Posted);
        Assert.Equal(2 * 12_00, sale.Revenue.MinorUnits);
        Assert.Equal(capture.Amount, sale.Revenue + sale.Tax + sale.Shipping - sale.Discount);
        Assert.Equal([new SaleLine("MUG", "Product MUG", 2, new Money(12_00, "USD"))], sale.Lines!);
    }
}
