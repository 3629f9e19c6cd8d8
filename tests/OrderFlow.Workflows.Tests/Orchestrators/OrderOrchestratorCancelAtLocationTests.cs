using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision 5 (CancellationReachesLocation): a fulfillment cancelled after its hand-off is recalled from its location
/// and its label voided; a location that already shipped has the parcel treated as shipped.
/// </summary>
public sealed class OrderOrchestratorCancelAtLocationTests
{
    private static CancelOrderRequest WholeOrder(string requestId) =>
        new(requestId, null, Restock: true, Refund: true, NotifyCustomer: true, "customer-request", "ops@example.test");

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task WholeOrder_AfterHandOff_TellsTheLocationOnceAndVoidsTheLabel(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("9101", ("MUG", 2, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        var dispatch = await h.DispatchedAsync($"{id}-F1");
        await h.CancelAsync(id, WholeOrder("c-9101"));
        var outcome = await h.OutcomeAsync(id);
        var mug = await h.InventoryAsync("MUG");

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        var told = Assert.Single(h.Ports.Canceller.Cancellations);
        Assert.Equal((dispatch.FulfillmentId, "east", $"{id}:cancel-{id}-F1"), (told.FulfillmentId, told.Location, told.IdempotencyKey));
        Assert.Equal(1, h.Ports.Canceller.Calls);
        var voided = Assert.Single(h.Ports.Carrier.Voids);
        Assert.Equal((dispatch.TrackingNumber, $"{id}:void-label-{id}-F1"), (voided.TrackingNumber, voided.IdempotencyKey));
        Assert.Equal(1, h.Ports.Carrier.VoidCalls);
        Assert.Equal((5, 0), (mug!.OnHand, mug.Reserved));
        Assert.Empty(h.Ports.Payments.Captures);
        Assert.Equal(order.Totals.Total, Assert.Single(h.Ports.Payments.Refunds).Amount);
        Assert.Equal("cancelled", h.Ports.Orders.Get(id).Fulfillments.Single().Status);
        Assert.Empty(h.Ports.Cases.CasesFor(id));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task WholeOrder_LocationAlreadyShippedOneParcel_ChargesBooksAndTellsTheCustomerAndRefundsOnlyTheRest(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 5));
        var order = TestOrders.Create("9102", ("MUG", 1, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.Succeeded);

        await h.StartOrderAsync(order);
        var dispatches = new[] { await h.DispatchedAsync($"{id}-F1"), await h.DispatchedAsync($"{id}-F2") };
        var mugParcel = dispatches.Single(d => d.Lines.Single().Sku == "MUG");
        var teeParcel = dispatches.Single(d => d.Lines.Single().Sku == "TEE");
        h.Ports.Canceller.Answer(mugParcel.FulfillmentId, new LocationCancelAnswer(LocationCancelAnswer.AlreadyShipped, mugParcel.TrackingNumber));
        await h.CancelAsync(id, WholeOrder("c-9102"));
        var outcome = await h.OutcomeAsync(id);
        var mug = await h.InventoryAsync("MUG");
        var tee = await h.InventoryAsync("TEE");
        var record = h.Ports.Orders.Get(id);

        Assert.Equal(OrderStatus.PartiallyFulfilled, outcome.Status);
        Assert.Equal(2, h.Ports.Canceller.Cancellations.Count);

        // The parcel that left: stock committed, recorded shipped, its label kept, booked, the customer told why.
        Assert.Equal((4, 0), (mug!.OnHand, mug.Reserved));
        Assert.Equal("shipped", record.Fulfillments.Single(f => f.FulfillmentId == mugParcel.FulfillmentId).Status);
        Assert.Equal(teeParcel.TrackingNumber, Assert.Single(h.Ports.Carrier.Voids).TrackingNumber);
        var shippedEmail = Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Shipped);
        Assert.Equal((mugParcel.FulfillmentId, "cancel-too-late"), (shippedEmail.FulfillmentId, shippedEmail.Details![CustomerNotification.DetailKeys.Reason]));
        var sale = Assert.Single(h.Ports.Ledger.Posted);
        Assert.Equal(12_00, sale.Revenue.MinorUnits);

        // The parcel that stopped: released and refunded, and the customer told it is cancelled.
        Assert.Equal((5, 0), (tee!.OnHand, tee.Reserved));
        Assert.Equal("cancelled", record.Fulfillments.Single(f => f.FulfillmentId == teeParcel.FulfillmentId).Status);
        var refunded = h.Ports.Payments.Refunds.Aggregate(Money.Zero("USD"), (sum, r) => sum + r.Amount);
        Assert.InRange(refunded.MinorUnits, 20_00, 22_00);
        Assert.Equal("TEE:1", Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Cancelled).Details![CustomerNotification.DetailKeys.Items]);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task WholeOrder_LocationAnswersLaterThroughTheCallback_WaitsForItThenVoids(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("9103", ("MUG", 1, 12_00));
        var id = order.OrderId;
        var fulfillmentId = $"{id}-F1";
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
        h.Ports.Canceller.Answer(fulfillmentId, new LocationCancelAnswer(LocationCancelAnswer.Pending));

        await h.StartOrderAsync(order);
        await h.DispatchedAsync(fulfillmentId);
        await h.CancelAsync(id, WholeOrder("c-9103"));
        await h.UntilAsync(() => h.Ports.Canceller.Calls > 0, "the location was told");
        Assert.Empty(h.Ports.Carrier.Voids);
        await h.Client.RaiseEventAsync(id, FulfillmentConfirmation.EventName(fulfillmentId),
            new FulfillmentConfirmation(fulfillmentId, FulfillmentConfirmation.Cancelled, DateTimeOffset.UtcNow, null));
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Single(h.Ports.Carrier.Voids);
        Assert.Empty(h.Ports.Cases.CasesFor(id));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task WholeOrder_LocationNeverConfirms_OpensACaseKeepsTheLabelAndCompletes(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("9104", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
        h.Ports.Canceller.Answer($"{id}-F1", new LocationCancelAnswer(LocationCancelAnswer.Pending));

        await h.StartOrderAsync(order, TestSettings.Default with { LocationCancelWait = TimeSpan.FromSeconds(1) });
        await h.DispatchedAsync($"{id}-F1");
        await h.CancelAsync(id, WholeOrder("c-9104"));
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        var unconfirmed = Assert.Single(h.Ports.Cases.CasesFor(id));
        Assert.Equal(ExceptionReason.LocationCancelUnconfirmed, unconfirmed.Reason);
        Assert.DoesNotContain("Ada", unconfirmed.Error, StringComparison.Ordinal);
        Assert.Empty(h.Ports.Carrier.Voids);
        Assert.Equal("LocationCancelUnconfirmed", h.Ports.Orders.Get(id).Fulfillments.Single().HoldReason);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task WholeOrder_CarrierRejectsTheLabelRefund_OpensACaseAndTheOrderIsStillCancelled(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("9105", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
        h.Ports.Carrier.VoidAnswer = LabelVoidResult.Rejected;

        await h.StartOrderAsync(order);
        var dispatch = await h.DispatchedAsync($"{id}-F1");
        await h.CancelAsync(id, WholeOrder("c-9105"));
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal(1, h.Ports.Carrier.VoidCalls);
        var rejected = Assert.Single(h.Ports.Cases.CasesFor(id));
        Assert.Equal(ExceptionReason.LabelVoidRejected, rejected.Reason);
        Assert.Contains(dispatch.TrackingNumber, rejected.Error, StringComparison.Ordinal);
        Assert.Equal([CaseResolution.Approve], rejected.AllowedResolutions);
        Assert.Contains(h.Ports.Orders.Get(id).Timeline, t => t.Message.Contains("refused to void label", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task WholeOrder_AfterOneParcelShipped_RecallsTheOtherFromItsLocation(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 5));
        var order = TestOrders.Create("9106", ("MUG", 1, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        var dispatches = new[] { await h.DispatchedAsync($"{id}-F1"), await h.DispatchedAsync($"{id}-F2") };
        var mugParcel = dispatches.Single(d => d.Lines.Single().Sku == "MUG");
        var teeParcel = dispatches.Single(d => d.Lines.Single().Sku == "TEE");
        await h.ConfirmShippedAsync(id, mugParcel.FulfillmentId);
        await h.UntilAsync(() => h.Ports.Notifier.SentFor(id).Any(n => n.Milestone == Milestone.Shipped), "the first parcel shipped");
        await h.CancelAsync(id, WholeOrder("c-9106"));
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.PartiallyFulfilled, outcome.Status);
        Assert.Equal(teeParcel.FulfillmentId, Assert.Single(h.Ports.Canceller.Cancellations).FulfillmentId);
        Assert.Equal(teeParcel.TrackingNumber, Assert.Single(h.Ports.Carrier.Voids).TrackingNumber);
        Assert.Equal("cancelled", h.Ports.Orders.Get(id).Fulfillments.Single(f => f.FulfillmentId == teeParcel.FulfillmentId).Status);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task FulfillmentTimeout_PersonDropsTheFulfillment_TellsTheLocationAndVoidsTheLabel(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("9108", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order, TestSettings.Default with { FulfillmentConfirmationTimeout = TimeSpan.FromSeconds(1) });
        var timeout = await h.CaseOpenedAsync(id, ExceptionReason.FulfillmentTimeout);
        await h.DecideAsync(timeout, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal("fulfillment-dropped", Assert.Single(h.Ports.Canceller.Cancellations).Reason);
        Assert.Single(h.Ports.Carrier.Voids);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task LocationRejects_PersonDropsTheFulfillment_VoidsTheLabelWithoutTellingTheLocationAgain(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("9109", ("MUG", 1, 12_00));
        var id = order.OrderId;
        var fulfillmentId = $"{id}-F1";
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        await h.DispatchedAsync(fulfillmentId);
        await h.Client.RaiseEventAsync(id, FulfillmentConfirmation.EventName(fulfillmentId),
            new FulfillmentConfirmation(fulfillmentId, FulfillmentConfirmation.Rejected, DateTimeOffset.UtcNow, "damaged stock"));
        var rejected = await h.CaseOpenedAsync(id, ExceptionReason.FulfillmentRejected);
        await h.DecideAsync(rejected, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Empty(h.Ports.Canceller.Cancellations);
        Assert.Single(h.Ports.Carrier.Voids);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task OlderRevision_CancelAfterHandOff_NeitherTellsTheLocationNorVoids(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("9107", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        h.Ports.Deliveries.Capture($"dlv-{id}", order);
        Assert.True(await h.Client.StartOrchestrationAsync<OrderFlow.Workflows.Orchestrators.OrderOrchestrator>(
            id, new OrderWorkflowInput(id, order.Source, $"dlv-{id}", TestSettings.Default, OrderWorkflowVersions.BackorderWaitHearsCancellation)));
        await h.DispatchedAsync($"{id}-F1");
        await h.CancelAsync(id, WholeOrder("c-9107"));
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Empty(h.Ports.Canceller.Cancellations);
        Assert.Empty(h.Ports.Carrier.Voids);
    }
}
