using DurableTask.Core.History;
using OrderFlow.Domain.Cases;
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
/// Revision 16 (PaymentConfirmedWithVerification): the payment verification writes PaymentConfirmed instead of a separate
/// UpdateOrderStatusActivity. The order's statuses and timeline come out as under revision 14, which still asks for it.
/// </summary>
public sealed class OrderOrchestratorPaymentConfirmedWithVerificationTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision16ShippedOrder_SameStatusesAndTimelineAsRevision14_NoStatusActivity(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 10));
        var before = TestOrders.Create("16101", ("MUG", 2, 12_00));
        var after = TestOrders.Create("16102", ("MUG", 2, 12_00));

        var outcomeBefore = await ShipAsync(h, before, OrderWorkflowVersions.StatusWithStep);
        var outcomeAfter = await ShipAsync(h, after, OrderWorkflowVersions.PaymentConfirmedWithVerification);

        Assert.Equal((OrderStatus.Fulfilled, "1 of 1 fulfillment(s) shipped."), (outcomeAfter.Status, outcomeAfter.Summary));
        Assert.Equal((outcomeBefore.Status, outcomeBefore.Summary), (outcomeAfter.Status, outcomeAfter.Summary));
        Assert.Equal(h.Ports.Orders.HistoryOf(before.OrderId), h.Ports.Orders.HistoryOf(after.OrderId));
        Assert.Contains("PaymentConfirmed: Payment RequiresCapture for 31.40 USD.", h.Ports.Orders.TimelineOf(after.OrderId, "status").Select(t => t.Message));
        Assert.Equal(Timeline(h, before), Timeline(h, after));

        if (backend == DurableEngineBackend.AzureStorage)
        {
            // Revision 14 asked for one status activity (PaymentConfirmed); 16 asks for none: the verification carries it.
            var history14 = await HistoryAsync(h, before.OrderId);
            var history16 = await HistoryAsync(h, after.OrderId);
            Assert.Equal(1, history14.OfType<TaskScheduledEvent>().Count(e => e.Name == nameof(UpdateOrderStatusActivity)));
            Assert.Equal(0, history16.OfType<TaskScheduledEvent>().Count(e => e.Name == nameof(UpdateOrderStatusActivity)));
            Assert.Contains(HistoryReplayer.Replay(history16), a => a.StartsWith("activity VerifyPaymentActivity ", StringComparison.Ordinal) && a.Contains("\"Then\":{", StringComparison.Ordinal));
            Assert.DoesNotContain(HistoryReplayer.Replay(history14), a => a.StartsWith("activity VerifyPaymentActivity ", StringComparison.Ordinal) && a.Contains("\"Then\":", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision16PaymentFailedThenRetried_NotConfirmedWhileTheCaseHoldsIt_ThenConfirmedAsRevision14(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 10));
        var before = TestOrders.Create("16103", ("MUG", 1, 12_00));
        var after = TestOrders.Create("16104", ("MUG", 1, 12_00));

        var heldBefore = await FailThenPayAsync(h, before, OrderWorkflowVersions.StatusWithStep);
        var heldAfter = await FailThenPayAsync(h, after, OrderWorkflowVersions.PaymentConfirmedWithVerification);

        // While the PaymentFailed case was open the order was on hold, never PaymentConfirmed.
        Assert.Equal([OrderStatus.Received, OrderStatus.Validated, OrderStatus.OnHold], heldAfter);
        Assert.Equal(heldBefore, heldAfter);
        Assert.Equal(OrderStatus.Fulfilled, (await h.OutcomeAsync(after.OrderId)).Status);
        Assert.Equal(h.Ports.Orders.HistoryOf(before.OrderId), h.Ports.Orders.HistoryOf(after.OrderId));
        Assert.Equal(Timeline(h, before), Timeline(h, after));
    }

    /// <summary>A declined payment opens a PaymentFailed case; once paid a person retries and the order ships. Returns its statuses while the case was open.</summary>
    private static async Task<List<OrderStatus>> FailThenPayAsync(WorkflowHarness h, Order order, int revision)
    {
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.Failed, failureReason: "card_declined");
        await h.StartOrderAsync(order, revision: revision);
        var failed = await h.CaseOpenedAsync(id, ExceptionReason.PaymentFailed);
        await h.UntilAsync(() => h.Ports.Orders.StatusOf(id) == OrderStatus.OnHold, "the order is on hold");
        var held = h.Ports.Orders.HistoryOf(id).ToList();
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
        await h.DecideAsync(failed, CaseResolution.RetryStep);
        await h.ShipAsync(id, $"{id}-F1");
        await h.OutcomeAsync(id);
        return held;
    }
}
