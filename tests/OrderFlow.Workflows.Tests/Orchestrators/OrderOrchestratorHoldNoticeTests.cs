using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;
using static OrderFlow.Workflows.Contracts.CustomerNotification;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// The customer hears of a stock or address hold (OnHold with the reason, once per hold, keyed by its case) and of
/// its end (Resumed) when the order goes on; a hold that ends in cancellation is told by the Cancelled email alone.
/// </summary>
public sealed class OrderOrchestratorHoldNoticeTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_OutOfStockThenRestockedAndRetried_TellsOnHoldOnceThenResumedAndShips(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("TEE");
        await h.StockAsync("TEE", ("west", 1));
        var order = TestOrders.Create("8101", ("TEE", 3, 20_00));
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        var shortage = await h.CaseOpenedAsync(id, ExceptionReason.OutOfStock);
        await h.UntilAsync(() => h.Ports.Notifier.SentFor(id).Any(n => n.Milestone == Milestone.OnHold), "the customer is told of the hold");
        var sentWhileHeld = h.Ports.Notifier.SentFor(id);
        await h.StockAsync("TEE", ("west", 5));
        await h.DecideAsync(shortage, CaseResolution.RetryStep);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal(
            [Milestone.OrderConfirmed, Milestone.OnHold],
            sentWhileHeld.Select(n => n.Milestone));
        Assert.Equal(
            [
                new CustomerNotification(id, Milestone.OrderConfirmed, null),
                new CustomerNotification(id, Milestone.OnHold, null, shortage.CaseId, new Dictionary<string, string> { [DetailKeys.Reason] = "out-of-stock" }),
                new CustomerNotification(id, Milestone.Resumed, null, shortage.CaseId, new Dictionary<string, string> { [DetailKeys.Reason] = "out-of-stock" }),
                new CustomerNotification(id, Milestone.Shipped, $"{id}-F1"),
            ],
            h.Ports.Notifier.SentFor(id));

        // The email is keyed by the case, so another case of the same order is told on its own, and a retried send is not.
        Assert.Equal($"{id}:OnHold#{shortage.CaseId}", h.Ports.Notifier.SentFor(id)[1].Key);
        Assert.DoesNotContain(h.Ports.Cases.CasesFor(id), c => c.Reason == ExceptionReason.NotificationFailed);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_AddressInvalidThenCorrected_TellsOnHoldThenResumedAndShips(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("8102", TestOrders.ValidAddress with { PostalCode = "" }, ("MUG", 1, 12_00));
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        var addressCase = await h.CaseOpenedAsync(id, ExceptionReason.AddressInvalid);
        await h.Client.RaiseEventAsync(
            id, CaseDecision.EventName(addressCase.CaseId), new CaseDecision(addressCase.CaseId, CaseResolution.CorrectAddress, "ops@example.test", null, TestOrders.ValidAddress));
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal(
            [
                new CustomerNotification(id, Milestone.OnHold, null, addressCase.CaseId, new Dictionary<string, string> { [DetailKeys.Reason] = "address" }),
                new CustomerNotification(id, Milestone.Resumed, null, addressCase.CaseId, new Dictionary<string, string> { [DetailKeys.Reason] = "address" }),
                new CustomerNotification(id, Milestone.OrderConfirmed, null),
                new CustomerNotification(id, Milestone.Shipped, $"{id}-F1"),
            ],
            h.Ports.Notifier.SentFor(id));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_OutOfStockThenCancelled_TellsOnHoldThenCancelledAndNoResumed(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("TEE");
        await h.StockAsync("TEE", ("west", 1));
        var order = TestOrders.Create("8103", ("TEE", 3, 20_00));
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        var shortage = await h.CaseOpenedAsync(id, ExceptionReason.OutOfStock);
        await h.DecideAsync(shortage, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal(
            new (Milestone, string?)[] { (Milestone.OrderConfirmed, null), (Milestone.OnHold, "out-of-stock"), (Milestone.Cancelled, "out-of-stock") },
            h.Ports.Notifier.SentFor(id).Select(n => (n.Milestone, n.Details?[DetailKeys.Reason])));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task RunAsync_CarrierRefusesBothParcelsAddresses_TellsOneHoldAndOneResumedWhenTheLastCaseIsDecided(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 5));
        h.Ports.Carrier.RejectAddress.FailNext(2);
        var order = TestOrders.Create("8104", ("MUG", 1, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        await h.UntilAsync(
            () => h.Ports.Cases.CasesFor(id).Count(c => c.Reason == ExceptionReason.AddressInvalid) == 2,
            "both parcels' address cases are open");
        var cases = h.Ports.Cases.CasesFor(id).Where(c => c.Reason == ExceptionReason.AddressInvalid).ToList();

        // Whichever case opened first tells the hold; its email may still be on its way when both cases are open.
        await h.UntilAsync(() => h.Ports.Notifier.SentFor(id).Any(n => n.Milestone == Milestone.OnHold), "the customer is told of the hold");
        // The order takes each child's hold notice; decide only once it took both (else the first decision could resume an
        // order that has not heard of the second case yet).
        await h.UntilAsync(
            () => cases.All(c => h.Ports.Orders.RequestedTransitionsOf(id).Any(t => t.StartsWith("OnHold", StringComparison.Ordinal) && t.Contains(c.CaseId, StringComparison.Ordinal))),
            "the order took both cases' hold notices");
        await h.DecideAsync(cases[0], CaseResolution.RetryStep);
        // Each parcel runs in its own child, which tells the order the case is resolved before it asks to hand the parcel
        // off; the order answers in the order it was told, so once that parcel is handed off the order has taken the
        // first resolution, and the second decision is the last one the order sees.
        var firstParcel = cases[0].CaseId.Contains($"{id}-F1-", StringComparison.Ordinal) ? $"{id}-F1" : $"{id}-F2";
        await h.DispatchedAsync(firstParcel);
        Assert.Single(h.Ports.Carrier.Labels);
        var sentWithOneCaseOpen = h.Ports.Notifier.SentFor(id);
        await h.DecideAsync(cases[1], CaseResolution.RetryStep);
        await h.ShipAsync(id, $"{id}-F1", $"{id}-F2");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);

        // Still held by the second case: no Resumed yet, and the second case did not tell the hold again.
        Assert.Equal([Milestone.OrderConfirmed, Milestone.OnHold], sentWithOneCaseOpen.Select(n => n.Milestone));
        var sent = h.Ports.Notifier.SentFor(id);
        Assert.Contains(Assert.Single(sent, n => n.Milestone == Milestone.OnHold).Reference, cases.Select(c => c.CaseId));
        Assert.Equal(cases[1].CaseId, Assert.Single(sent, n => n.Milestone == Milestone.Resumed).Reference);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_CarrierRefusesOneParcelsAddressThenCancel_TellsTheDroppedItemsAndNoResumed(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 5));
        h.Ports.Carrier.RejectAddress.FailNext(1);
        var order = TestOrders.Create("8107", ("MUG", 1, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        var addressCase = await h.CaseOpenedAsync(id, ExceptionReason.AddressInvalid);
        var dropped = addressCase.Step["label-".Length..];
        var other = dropped == $"{id}-F1" ? $"{id}-F2" : $"{id}-F1";
        await h.UntilAsync(() => h.Ports.Notifier.SentFor(id).Any(n => n.Milestone == Milestone.OnHold), "the customer is told of the hold");
        await h.DecideAsync(addressCase, CaseResolution.Cancel);
        await h.ShipAsync(id, other);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.PartiallyFulfilled, outcome.Status);
        var droppedSku = Assert.Single(h.Ports.Orders.Get(id).Fulfillments.Single(f => f.FulfillmentId == dropped).Lines).Sku;
        var sent = h.Ports.Notifier.SentFor(id);
        Assert.Equal(
            [Milestone.OrderConfirmed, Milestone.Shipped, Milestone.OnHold, Milestone.Cancelled],
            sent.Select(n => n.Milestone).Order());
        Assert.Equal("address", Assert.Single(sent, n => n.Milestone == Milestone.OnHold).Details![DetailKeys.Reason]);

        // The parcel the hold was about will not ship: the customer hears which items, and that they are refunded.
        var cancelled = Assert.Single(sent, n => n.Milestone == Milestone.Cancelled);
        Assert.Equal("remainder", cancelled.Reference);
        Assert.Equal($"{droppedSku}:1", cancelled.Details![DetailKeys.Items]);
        Assert.True(cancelled.Details.ContainsKey(DetailKeys.Amount));
        Assert.False(cancelled.Details.ContainsKey(DetailKeys.Reason));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task RunAsync_HoldEmailUndeliverable_OpensNotificationFailedCaseAndTheOrderGoesOn(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("8106", TestOrders.ValidAddress with { PostalCode = "" }, ("MUG", 1, 12_00));
        var id = order.OrderId;

        // The hold email is the order's first: every attempt of it fails.
        h.Ports.Notifier.FailAfterSend.FailNext(TestSettings.Default.ActivityMaxAttempts);
        await h.StartOrderAsync(order);
        var addressCase = await h.CaseOpenedAsync(id, ExceptionReason.AddressInvalid);
        await h.UntilAsync(() => h.Ports.Cases.CasesFor(id).Any(c => c.Reason == ExceptionReason.NotificationFailed), "the failed hold email opened a case");
        await h.Client.RaiseEventAsync(
            id, CaseDecision.EventName(addressCase.CaseId), new CaseDecision(addressCase.CaseId, CaseResolution.CorrectAddress, "ops@example.test", null, TestOrders.ValidAddress));
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var failed = Assert.Single(h.Ports.Cases.CasesFor(id), c => c.Reason == ExceptionReason.NotificationFailed);
        Assert.Equal("notify-OnHold", failed.Step);
        Assert.Contains(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Resumed);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task RunAsync_OutOfStockOnThePreviousRevision_TellsNothingOfTheHold(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("TEE");
        await h.StockAsync("TEE", ("west", 1));
        var order = TestOrders.Create("8105", ("TEE", 3, 20_00));
        var id = order.OrderId;

        await h.StartOrderAsync(order, revision: OrderWorkflowVersions.CustomerToldOfHolds - 1);
        var shortage = await h.CaseOpenedAsync(id, ExceptionReason.OutOfStock);
        await h.StockAsync("TEE", ("west", 5));
        await h.DecideAsync(shortage, CaseResolution.RetryStep);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        // Orders already running when the revision ships replay and finish as they began.
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal([Milestone.OrderConfirmed, Milestone.Shipped], h.Ports.Notifier.SentFor(id).Select(n => n.Milestone));
    }
}
