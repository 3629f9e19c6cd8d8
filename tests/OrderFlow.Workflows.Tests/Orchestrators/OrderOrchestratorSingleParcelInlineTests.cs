using DurableTask.Core.History;
using Microsoft.DurableTask.Client;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Host;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Tests.Harness;
using static OrderFlow.Workflows.Tests.Harness.RevisionRuns;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision 18 (SingleParcelInline): an order whose first wave routes into one parcel runs its parcels in the order
/// workflow (as revision 11 did), re-routed ones included; the customer, the store and the payment see what they saw
/// under revision 17. An order routed into two parcels still runs each in its Fulfillment child.
/// </summary>
public sealed class OrderOrchestratorSingleParcelInlineTests
{
    private static CancelOrderRequest WholeOrder(string orderId) =>
        new($"c-{orderId}", null, Restock: true, Refund: true, NotifyCustomer: true, "customer-request", "ops@example.test");

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision18OneParcelOrder_ShipsAsRevision17_WithoutAChild(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (before, after) = await ShipBothAsync(h, ("18101", OrderWorkflowVersions.ReservationPlannedInOneStep), ("18102", OrderWorkflowVersions.SingleParcelInline));

        Assert.Equal(h.Ports.Orders.HistoryOf(before.OrderId), h.Ports.Orders.HistoryOf(after.OrderId));
        Assert.Equal(Timeline(h, before), Timeline(h, after));
        Assert.Equal(Records(h, before), Records(h, after));
        Assert.Equal(Emails(h, before), Emails(h, after));
        Assert.Equal([$"{after.Totals.Total} True {{id}}:capture-{{id}}-F1"], Captures(h, after));
        Assert.Equal(Captures(h, before), Captures(h, after));
        Assert.Equal($"{after.OrderId}:dispatch-{after.OrderId}-F1", (await h.DispatchedAsync($"{after.OrderId}-F1")).IdempotencyKey);
        Assert.Equal(nameof(FulfillmentOrchestrator), (await h.Client.GetStatusAsync(Child(before, 1)))?.Name);
        Assert.Null(await h.Client.GetStatusAsync(Child(after, 1)));

        if (backend == DurableEngineBackend.AzureStorage)
        {
            // No sub-orchestration: the order asks for the activities its revision-17 twin and that one's child asked for.
            var order17 = await HistoryAsync(h, before.OrderId);
            var child17 = await HistoryAsync(h, Child(before, 1));
            var order18 = await HistoryAsync(h, after.OrderId);
            Assert.Equal(1, FulfillmentChildren(order17));
            Assert.Equal(0, FulfillmentChildren(order18));
            Assert.Equal(Activities(order17.Concat(child17)), Activities(order18));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision18TwoParcelOrder_RunsEachParcelInItsChild(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 5));
        var order = TestOrders.Create("18103", ("MUG", 1, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order, revision: OrderWorkflowVersions.SingleParcelInline);
        await h.DispatchedAsync($"{id}-F1");
        await h.DispatchedAsync($"{id}-F2");
        var routedTo = new List<string>();
        foreach (var fulfillmentId in new[] { $"{id}-F1", $"{id}-F2" })
        {
            routedTo.Add(await new EngineWorkflowClient(h.Client).RaiseConfirmationAsync(id, new FulfillmentConfirmation(fulfillmentId, FulfillmentConfirmation.Shipped, DateTimeOffset.UtcNow, null)));
        }

        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(new OrderOutcome(id, OrderStatus.Fulfilled, "2 of 2 fulfillment(s) shipped."), outcome);
        Assert.Equal([Child(order, 1), Child(order, 2)], routedTo);
        foreach (var n in new[] { 1, 2 })
        {
            var child = await h.Client.GetStatusAsync(Child(order, n));
            Assert.Equal((nameof(FulfillmentOrchestrator), OrchestrationRuntimeStatus.Completed), (child?.Name, child?.RuntimeStatus));
        }

        h.AssertCapturedPerParcel(order);
        if (backend == DurableEngineBackend.AzureStorage)
        {
            Assert.Equal(2, FulfillmentChildren(await HistoryAsync(h, id)));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision18OneParcelCancelledAwaitingConfirmation_RecallsTheParcelAsRevision11(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 10));
        var orders = new List<Order>();
        foreach (var (number, revision) in new[] { ("18104", OrderWorkflowVersions.StockSplitAcrossShards), ("18105", OrderWorkflowVersions.SingleParcelInline) })
        {
            var order = TestOrders.Create(number, ("MUG", 2, 12_00));
            var id = order.OrderId;
            h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
            await h.StartOrderAsync(order, revision: revision);
            await h.DispatchedAsync($"{id}-F1");
            await h.CancelAsync(id, WholeOrder(id));
            Assert.Equal(OrderStatus.Cancelled, (await h.OutcomeAsync(id)).Status);
            orders.Add(order);
        }

        var (before, after) = (orders[0], orders[1]);
        var f1 = $"{after.OrderId}-F1";
        var dispatch = await h.DispatchedAsync(f1);

        var told = Assert.Single(h.Ports.Canceller.Cancellations, c => c.FulfillmentId == f1);
        Assert.Equal(("east", $"{after.OrderId}:cancel-{f1}"), (told.Location, told.IdempotencyKey));
        Assert.Equal($"{after.OrderId}:void-label-{f1}", Assert.Single(h.Ports.Carrier.Voids, v => v.TrackingNumber == dispatch.TrackingNumber).IdempotencyKey);
        Assert.Single(h.Ports.Canceller.Cancellations, c => c.FulfillmentId == $"{before.OrderId}-F1");
        Assert.Equal("cancelled", Assert.Single(h.Ports.Orders.Get(after.OrderId).Fulfillments).Status);
        Assert.Equal(Records(h, before), Records(h, after));
        Assert.Equal(h.Ports.Orders.HistoryOf(before.OrderId), h.Ports.Orders.HistoryOf(after.OrderId));
        Assert.Equal(Emails(h, before), Emails(h, after));
        Assert.Empty(Captures(h, after));
        Assert.Equal(after.Totals.Total, Assert.Single(h.Ports.Payments.Refunds, r => r.OrderId == after.OrderId).Amount);
        Assert.Empty(h.Ports.Cases.CasesFor(after.OrderId));
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((10, 0), (mug!.OnHand, mug.Reserved));
        Assert.Null(await h.Client.GetStatusAsync(Child(after, 1)));
        if (backend == DurableEngineBackend.AzureStorage)
        {
            Assert.Equal(0, FulfillmentChildren(await HistoryAsync(h, after.OrderId)));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory, OrderWorkflowVersions.SingleParcelInline)]
    [InlineData(DurableEngineBackend.AzureStorage, OrderWorkflowVersions.SingleParcelInline)]
    [InlineData(DurableEngineBackend.InMemory, OrderWorkflowVersions.StepsCarriedTogether)]
    [InlineData(DurableEngineBackend.AzureStorage, OrderWorkflowVersions.StepsCarriedTogether)]
    public async Task RunAsync_OneParcelCancelRequestedWhileTheLabelIsBought_HandedOffThenRecalled_NothingKept(DurableEngineBackend backend, int revision)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 10));
        var order = TestOrders.Create($"{revision}106", ("MUG", 2, 12_00));
        var id = order.OrderId;
        var f1 = $"{id}-F1";
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
        h.Ports.Carrier.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await h.StartOrderAsync(order, revision: revision);
        await h.UntilAsync(() => h.Ports.Carrier.Requests.Any(r => r.FulfillmentId == f1), $"the label of {f1} is being bought");
        await h.CancelAsync(id, WholeOrder(id));
        h.Ports.Carrier.Hold.SetResult();
        var outcome = await h.OutcomeAsync(id);

        // The label step is not interrupted: the parcel is handed off, then the cancellation (taken at the next wait)
        // recalls it from the location and voids its label. The customer is refunded in full; nothing stays held.
        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        var dispatch = await h.DispatchedAsync(f1);
        var told = Assert.Single(h.Ports.Canceller.Cancellations, c => c.FulfillmentId == f1);
        Assert.Equal(("east", $"{id}:cancel-{f1}"), (told.Location, told.IdempotencyKey));
        Assert.Equal($"{id}:void-label-{f1}", Assert.Single(h.Ports.Carrier.Voids, v => v.TrackingNumber == dispatch.TrackingNumber).IdempotencyKey);
        Assert.Equal("cancelled", Assert.Single(h.Ports.Orders.Get(id).Fulfillments).Status);
        Assert.Empty(Captures(h, order));
        Assert.Equal(order.Totals.Total, Assert.Single(h.Ports.Payments.Refunds, r => r.OrderId == id).Amount);
        Assert.Contains(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Cancelled);
        Assert.DoesNotContain(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Shipped);
        Assert.Empty(h.Ports.Cases.CasesFor(id));
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((10, 0), (mug!.OnHand, mug.Reserved));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision18OneParcelRejectedAndRerouted_TheReroutedParcelRunsInlineToo(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 2), ("west", 5));
        var order = TestOrders.Create("18106", ("MUG", 2, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
        var locations = new EngineWorkflowClient(h.Client);

        await h.StartOrderAsync(order, revision: OrderWorkflowVersions.SingleParcelInline);
        var first = await h.DispatchedAsync($"{id}-F1");
        var rejectedTo = await locations.RaiseConfirmationAsync(id, new FulfillmentConfirmation(first.FulfillmentId, FulfillmentConfirmation.Rejected, DateTimeOffset.UtcNow, "shelf empty"));
        var second = await h.DispatchedAsync($"{id}-F2");
        var shippedTo = await locations.RaiseConfirmationAsync(id, new FulfillmentConfirmation(second.FulfillmentId, FulfillmentConfirmation.Shipped, DateTimeOffset.UtcNow, null));
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(new OrderOutcome(id, OrderStatus.Fulfilled, "1 of 1 fulfillment(s) shipped."), outcome);
        Assert.Equal((id, id), (rejectedTo, shippedTo));
        Assert.NotEqual(first.Location, second.Location);
        Assert.Equal(("rerouted", "shipped"), (h.Ports.Orders.Get(id).Fulfillments.Single(f => f.FulfillmentId == first.FulfillmentId).Status, h.Ports.Orders.Get(id).Fulfillments.Single(f => f.FulfillmentId == second.FulfillmentId).Status));
        Assert.Empty(h.Ports.Cases.CasesFor(id));
        Assert.Equal([$"{order.Totals.Total} True {{id}}:capture-{{id}}-F2"], Captures(h, order));
        Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Shipped && n.FulfillmentId == second.FulfillmentId);
        Assert.Null(await h.Client.GetStatusAsync(Child(order, 1)));
        Assert.Null(await h.Client.GetStatusAsync(Child(order, 2)));
        if (backend == DurableEngineBackend.AzureStorage)
        {
            Assert.Equal(0, FulfillmentChildren(await HistoryAsync(h, id)));
        }
    }

    /// <summary>How many Fulfillment children the history started (the order's refunds run in children too).</summary>
    private static int FulfillmentChildren(IEnumerable<HistoryEvent> history) =>
        history.OfType<SubOrchestrationInstanceCreatedEvent>().Count(e => e.Name == nameof(FulfillmentOrchestrator));

    /// <summary>The Fulfillment child of the order's n-th parcel (the order's first run).</summary>
    private static string Child(Order order, int n) => FulfillmentWorkflowInput.InstanceIdFor(order.OrderId, $"{order.OrderId}-F{n}");

    /// <summary>The activities the histories scheduled, by name, sorted (their order across two workflows is not one).</summary>
    private static List<string> Activities(IEnumerable<HistoryEvent> history) =>
        [.. history.OfType<TaskScheduledEvent>().Select(e => e.Name!).Order(StringComparer.Ordinal)];
}
