using DurableTask.Core.History;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;
using OrderFlow.Workflows.Tests.Replay;
using static OrderFlow.Workflows.Tests.Harness.RevisionRuns;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision 14 (StatusWithStep): Validated, Reserved, InFulfillment and the final status are written by the activities
/// they follow (validation, routing, the sale's posting) instead of separate UpdateOrderStatusActivity calls. The order's
/// status history and timeline come out as under revision 13, which still asks for the separate status activities.
/// </summary>
public sealed class OrderOrchestratorStatusWithStepTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision14ShippedOrder_SameStatusesNotesAndTimelineOrderAsRevision13(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (before, after) = await ShipBothAsync(h, ("14101", OrderWorkflowVersions.IntakeBehindStart), ("14102", OrderWorkflowVersions.StatusWithStep));

        Assert.Equal(Shipped, h.Ports.Orders.HistoryOf(before.OrderId));
        Assert.Equal(
            ["Received.", "Validated: Items, quantities, totals and address are valid.", "PaymentConfirmed: Payment RequiresCapture for 31.40 USD.",
             "Reserved: Stock: reserved 2 x MUG.", "InFulfillment: Handed to 1 location(s).", "Fulfilled: 1 of 1 fulfillment(s) shipped."],
            h.Ports.Orders.TimelineOf(after.OrderId, "status").Select(t => t.Message));
        Assert.Equal(Timeline(h, before), Timeline(h, after));
        Assert.Equal(before.Totals.Total, Assert.Single(h.Ports.Payments.Captures, c => c.OrderId == after.OrderId).Amount);
        Assert.Null(Assert.Single(h.Ports.Ledger.Posted, p => p.OrderId == after.OrderId).Then);

        if (backend == DurableEngineBackend.AzureStorage)
        {
            // The recorded histories: five status activities under revision 13, one (PaymentConfirmed) under 14, whose
            // validation, routing and sale carry the others.
            var history13 = await HistoryAsync(h, before.OrderId);
            var history14 = await HistoryAsync(h, after.OrderId);
            Assert.Equal(5, history13.OfType<TaskScheduledEvent>().Count(e => e.Name == nameof(UpdateOrderStatusActivity)));
            Assert.Equal(1, history14.OfType<TaskScheduledEvent>().Count(e => e.Name == nameof(UpdateOrderStatusActivity)));
            var actions13 = HistoryReplayer.Replay(history13);
            var actions14 = HistoryReplayer.Replay(history14);
            Assert.Contains(actions13, a => a.StartsWith("activity ValidateOrderActivity ", StringComparison.Ordinal) && a.EndsWith($" \"{before.OrderId}\"", StringComparison.Ordinal));
            Assert.Contains(actions14, a => a.StartsWith("activity ValidateOrderActivity ", StringComparison.Ordinal) && a.Contains("\"Then\":{", StringComparison.Ordinal));
            Assert.Contains(actions14, a => a.StartsWith("activity RouteOrderActivity ", StringComparison.Ordinal) && a.Contains("\"Before\":{", StringComparison.Ordinal));
            Assert.Contains(actions14, a => a.StartsWith("activity PostSaleActivity ", StringComparison.Ordinal) && a.Contains("\"Then\":{", StringComparison.Ordinal));
            Assert.DoesNotContain(actions13, a => a.Contains("\"Then\":", StringComparison.Ordinal) || a.Contains("\"Before\":", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision14CancelledAwaitingConfirmation_ReservedAndInFulfillmentRecordedBeforeCancelled(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("14103", ("MUG", 2, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order, revision: OrderWorkflowVersions.StatusWithStep);
        await h.DispatchedAsync($"{id}-F1");
        await h.CancelAsync(id, new CancelOrderRequest("c-14103", null, Restock: true, Refund: true, NotifyCustomer: true, "customer-request", "ops@example.test"));
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal(
            [OrderStatus.Received, OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment, OrderStatus.Cancelled],
            h.Ports.Orders.HistoryOf(id));
        Assert.DoesNotContain(h.Ports.Ledger.Posted, p => p.OrderId == id);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision14InvalidOrder_NotValidatedWhileTheCaseHoldsIt(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("14104", ("MUG", 1, 12_00));
        var id = order.OrderId;

        // MUG is not in the catalog: the carried Validated is not written; a person cancels.
        await h.StartOrderAsync(order, revision: OrderWorkflowVersions.StatusWithStep);
        var invalid = await h.CaseOpenedAsync(id, Domain.Cases.ExceptionReason.OrderInvalid);
        await h.DecideAsync(invalid, Domain.Cases.CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal([OrderStatus.Received, OrderStatus.OnHold, OrderStatus.Cancelled], h.Ports.Orders.HistoryOf(id));
    }
}
