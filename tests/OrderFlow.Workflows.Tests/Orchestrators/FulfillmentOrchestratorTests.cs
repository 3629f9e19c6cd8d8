using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Host;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Tests.Harness;
using OrderFlow.Workflows.Watchdog;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision <see cref="OrderWorkflowVersions.FulfillmentAsChild"/> of the order workflow: each parcel runs in its own child
/// workflow, <see cref="FulfillmentOrchestrator"/> ("{order run}:{fulfillment id}"), under the order's idempotency keys;
/// whatever is raised to the order for the parcel reaches the child, a cancellation of the order stops it (it recalls its
/// parcel), a restart stops the ended run's children, and orders of earlier revisions keep their parcels in process.
/// The tests start their orders under this revision explicitly.
/// </summary>
public sealed class FulfillmentOrchestratorTests
{
    private const int Revision = OrderWorkflowVersions.FulfillmentAsChild;

    private static CancelOrderRequest WholeOrder(string requestId) =>
        new(requestId, null, Restock: true, Refund: true, NotifyCustomer: true, "customer-request", "ops@example.test");

    [Fact]
    public void Ids_ChildNamesTheOrderRunAndTheFulfillment_CasesAreNumberedPerParcel()
    {
        Assert.Equal(
            ["shop-1:shop-1-F2", "shop-1-r1:shop-1-F2", "shop-1-F2", "shop-1-r1-F2"],
            [FulfillmentWorkflowInput.InstanceIdFor("shop-1", "shop-1-F2"), FulfillmentWorkflowInput.InstanceIdFor("shop-1-r1", "shop-1-F2"),
                FulfillmentWorkflowInput.CaseIdPrefixFor("shop-1", "shop-1", "shop-1-F2"), FulfillmentWorkflowInput.CaseIdPrefixFor("shop-1-r1", "shop-1", "shop-1-F2")]);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Ship_ConfirmationRaisedToTheOrder_ReachesTheParcelsChild_KeysAreTheOrders(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await h.MugOrderAsync("1201", units: 2);
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order, revision: Revision);
        var dispatch = await h.DispatchedAsync($"{id}-F1");
        await h.ConfirmShippedAsync(id, dispatch.FulfillmentId);
        var outcome = await h.OutcomeAsync(id);
        var child = await h.Client.GetStatusAsync($"{id}:{id}-F1");

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal((nameof(FulfillmentOrchestrator), OrchestrationRuntimeStatus.Completed), (child!.Name, child.RuntimeStatus));
        Assert.Equal($"{id}-F1", child.ReadOutputAs<FulfillmentOutcome>()!.Shipped?.FulfillmentId);
        Assert.Equal($"{id}:dispatch-{id}-F1", dispatch.IdempotencyKey);
        Assert.Equal($"{id}:label-{id}-F1", Assert.Single(h.Ports.Carrier.Requests).IdempotencyKey);
        Assert.Equal($"{id}:capture-{id}-F1", Assert.Single(h.Ports.Payments.Captures).IdempotencyKey);
        Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Shipped && n.FulfillmentId == $"{id}-F1");
        Assert.Equal("shipped", h.Ports.Orders.Get(id).Fulfillments.Single().Status);
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((3, 0), (mug!.Locations["east"].OnHand, mug.Reserved));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Ship_ConfirmationRaisedBeforeTheChildExists_WaitsInTheOrderAndReachesTheChild(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await h.MugOrderAsync("1207");

        // Raised as soon as the order runs: no child exists yet (an event raised to a missing instance would be lost).
        await h.StartOrderAsync(order, revision: Revision);
        await h.ConfirmShippedAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await h.Client.GetStatusAsync($"{id}:{id}-F1"))!.RuntimeStatus);
        Assert.Single(h.Ports.Fulfillment.Dispatches);
        Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Shipped);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Label_CarrierRefusesTheAddress_TheCaseIsTheChilds_TheOrderHoldsAndGoesOn(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await h.MugOrderAsync("1202");
        h.Ports.Carrier.RejectAddress.FailNext(1);

        await h.StartOrderAsync(order, revision: Revision);
        var addressCase = await h.CaseOpenedAsync(id, ExceptionReason.AddressInvalid);
        await h.DecideAsync(addressCase, CaseResolution.RetryStep);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(($"{id}-F1-label-{id}-F1-1", $"{id}:{id}-F1", $"label-{id}-F1"), (addressCase.CaseId, addressCase.WorkflowId, addressCase.Step));
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal([OrderStatus.InFulfillment, OrderStatus.OnHold, OrderStatus.InFulfillment, OrderStatus.Fulfilled], h.Ports.Orders.HistoryOf(id).TakeLast(4));
        Assert.Equal(2, h.Ports.Notifier.SentFor(id).Count(n => n.Milestone is Milestone.OnHold or Milestone.Resumed));
        Assert.Single(h.Ports.Carrier.Labels);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Dispatch_PaymentFailedWhileTheChildWaitsOnItsLabel_TheOrdersCheckpointHoldsTheHandOff_CancelStopsTheChild(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await h.MugOrderAsync("1208");
        h.Ports.Carrier.RejectAddress.FailNext(1);

        // The payment fails while the child's address case waits; the child asks its order before the hand-off.
        await h.StartOrderAsync(order, revision: Revision);
        var addressCase = await h.CaseOpenedAsync(id, ExceptionReason.AddressInvalid);
        await h.Client.RaiseEventAsync(
            id, PaymentEvents.EventName(PaymentEvents.PaymentIntentPaymentFailed),
            new PaymentEventNotice("evt_failed_1208", PaymentEvents.PaymentIntentPaymentFailed, "pi_test", new Domain.Common.Money(12_00, "USD"), "card_declined", DateTimeOffset.UtcNow));
        await h.DecideAsync(addressCase, CaseResolution.RetryStep);
        var failed = await h.CaseOpenedAsync(id, ExceptionReason.PaymentFailed);
        await h.DecideAsync(failed, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);
        var child = await h.Client.GetStatusAsync($"{id}:{id}-F1");

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal($"payment-event-dispatch-{id}-F1", failed.Step);
        Assert.Empty(h.Ports.Fulfillment.Dispatches);
        Assert.Single(h.Ports.Carrier.Labels);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
        Assert.NotNull(child.ReadOutputAs<FulfillmentOutcome>()!.Cancelled);
        Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Cancelled);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Cancel_WholeOrderWhileTheChildWaitsForItsLocation_ChildStopsAndRecallsTheParcel(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await h.MugOrderAsync("1203", units: 2);
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order, revision: Revision);
        var dispatch = await h.DispatchedAsync($"{id}-F1");
        await h.CancelAsync(id, WholeOrder("c-1203"));
        var outcome = await h.OutcomeAsync(id);
        var child = await h.Client.GetStatusAsync($"{id}:{id}-F1");

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
        var stopped = child.ReadOutputAs<FulfillmentOutcome>()!;
        Assert.Null(stopped.Shipped);
        Assert.NotNull(stopped.Cancelled);
        Assert.Equal($"{id}:cancel-{id}-F1", Assert.Single(h.Ports.Canceller.Cancellations).IdempotencyKey);
        Assert.Equal((dispatch.TrackingNumber, $"{id}:void-label-{id}-F1"), (Assert.Single(h.Ports.Carrier.Voids).TrackingNumber, h.Ports.Carrier.Voids[0].IdempotencyKey));
        Assert.Equal("cancelled", h.Ports.Orders.Get(id).Fulfillments.Single().Status);
        Assert.Empty(h.Ports.Payments.Captures);
        Assert.DoesNotContain(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Shipped);
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((5, 0), (mug!.OnHand, mug.Reserved));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Cancel_WholeOrderAfterOneParcelShipped_TheOtherChildIsStoppedAndRecalled_WhatShippedIsSettled(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 5));
        var order = TestOrders.Create("1204", ("MUG", 1, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order, revision: Revision);
        var (east, west) = (await h.DispatchedAsync($"{id}-F1"), await h.DispatchedAsync($"{id}-F2"));
        var shippedFirst = east.Lines.Single().Sku == "MUG" ? east : west;
        var stoppedOne = shippedFirst == east ? west : east;
        await h.ConfirmShippedAsync(id, shippedFirst.FulfillmentId);
        await h.UntilAsync(() => h.Ports.Notifier.SentFor(id).Any(n => n.Milestone == Milestone.Shipped), $"{shippedFirst.FulfillmentId} is shipped");
        await h.CancelAsync(id, WholeOrder("c-1204"));
        var outcome = await h.OutcomeAsync(id);
        var child = await h.Client.GetStatusAsync($"{id}:{stoppedOne.FulfillmentId}");

        Assert.Equal(OrderStatus.PartiallyFulfilled, outcome.Status);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
        Assert.Null(child.ReadOutputAs<FulfillmentOutcome>()!.Shipped);
        Assert.Equal($"{id}:cancel-{stoppedOne.FulfillmentId}", Assert.Single(h.Ports.Canceller.Cancellations).IdempotencyKey);
        Assert.Equal("cancelled", h.Ports.Orders.Get(id).Fulfillments.Single(f => f.FulfillmentId == stoppedOne.FulfillmentId).Status);
        Assert.Equal($"{id}:capture-{shippedFirst.FulfillmentId}", Assert.Single(h.Ports.Payments.Captures).IdempotencyKey);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Restart_OrderTerminatedWhileItsParcelWaits_StaleChildIsStopped_NewRunShipsInlineUnderTheSameKeys(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await h.MugOrderAsync("1205");
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order, revision: Revision);
        await h.DispatchedAsync($"{id}-F1");
        await h.Client.TerminateAsync(id, "stopped by an operator (test)");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await h.Client.WaitForCompletionAsync(id, h.WaitTimeout)).RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await h.Client.GetStatusAsync($"{id}:{id}-F1"))!.RuntimeStatus);

        var client = new EngineWorkflowClient(h.Client);
        var restarter = new WorkflowRestarter(h.Ports.Orders, TimeProvider.System, NullLogger<WorkflowRestarter>.Instance);
        var restarted = await restarter.RestartAsync(client, id, WorkflowWatchdog.FailedCaseId(id, "Terminated"), cancel: false);
        Assert.Equal(RestartOutcome.Restarted, restarted.Outcome);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await h.Client.GetStatusAsync($"{id}:{id}-F1"))!.RuntimeStatus);
        await h.ConfirmShippedAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        // A restart runs under the current revision (18, SingleParcelInline): routed into one parcel, the new run ships it
        // itself (no child "{id}-r1:{id}-F1"), under the keys the stopped child used.
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Null(await h.Client.GetStatusAsync($"{id}-r1:{id}-F1"));
        Assert.Single(h.Ports.Carrier.Labels);
        Assert.Single(h.Ports.Fulfillment.Dispatches, d => d.OrderId == id);
        Assert.All(h.Ports.Fulfillment.Dispatches, d => Assert.Equal($"{id}:dispatch-{id}-F1", d.IdempotencyKey));
        Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Shipped);
        Assert.Equal($"{id}:capture-{id}-F1", Assert.Single(h.Ports.Payments.Captures).IdempotencyKey);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Ship_OrderOfAnEarlierRevision_KeepsItsParcelInTheOrderWorkflow(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await h.MugOrderAsync("1206");

        await h.StartOrderAsync(order, revision: OrderWorkflowVersions.StockSplitAcrossShards);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Null(await h.Client.GetStatusAsync($"{id}:{id}-F1"));
        Assert.Equal($"{id}:dispatch-{id}-F1", Assert.Single(h.Ports.Fulfillment.Dispatches).IdempotencyKey);
    }
}
