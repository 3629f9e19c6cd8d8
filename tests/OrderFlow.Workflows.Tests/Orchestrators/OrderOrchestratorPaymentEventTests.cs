using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>Payment provider events relayed to the order's workflow, on the real engine.</summary>
public sealed class OrderOrchestratorPaymentEventTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_PaymentFailedBeforeReservationThenCancel_OpensPaymentFailedCaseAndCancelsWithoutStock(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("7001", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.Succeeded, riskLevel: "highest");

        // The fraud review holds the order before reservation; the payment fails meanwhile.
        await h.StartOrderAsync(order);
        var review = await h.CaseOpenedAsync(id, ExceptionReason.FraudReview);
        await RaiseAsync(h, id, PaymentEvents.PaymentIntentPaymentFailed, "evt_failed_1", "card_declined");
        await h.DecideAsync(review, CaseResolution.Approve);
        var failed = await h.CaseOpenedAsync(id, ExceptionReason.PaymentFailed);
        await h.DecideAsync(failed, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Contains("card_declined", failed.Error, StringComparison.Ordinal);
        Assert.Equal([CaseResolution.RetryStep, CaseResolution.Cancel], failed.AllowedResolutions);
        Assert.Equal(
            [ExceptionReason.FraudReview, ExceptionReason.PaymentFailed],
            h.Ports.Cases.CasesFor(id).Select(c => c.Reason));
        Assert.Equal(OrderStatus.Cancelled, h.Ports.Orders.HistoryOf(id)[^1]);
        Assert.DoesNotContain(OrderStatus.Reserved, h.Ports.Orders.HistoryOf(id));

        // Nothing reserved, labelled, shipped or booked.
        var mug = await h.InventoryAsync("MUG");
        Assert.True(mug is null || (mug.Reserved, mug.Reservations.Count) == (0, 0));
        Assert.Empty(h.Ports.Carrier.Requests);
        Assert.Empty(h.Ports.Ledger.Posted);
        Assert.Contains(h.Ports.Orders.Get(id).Timeline, t => t.Kind == "payment" && t.Message.Contains("evt_failed_1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_DisputeAfterShipment_OpensFraudReviewCaseAndStillFulfills(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 4));
        var order = TestOrders.Create("7002", ("MUG", 1, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        string f1 = $"{id}-F1", f2 = $"{id}-F2";

        await h.StartOrderAsync(order);
        await h.DispatchedAsync(f1);
        await h.DispatchedAsync(f2);
        await h.ConfirmShippedAsync(id, f1);
        await h.UntilAsync(
            () => h.Ports.Orders.Get(id).Fulfillments.Any(f => f.FulfillmentId == f1 && f.Status == "shipped"),
            $"{f1} is recorded as shipped");
        await RaiseAsync(h, id, PaymentEvents.ChargeDisputeCreated, "evt_dispute_1", "fraudulent");
        await h.ConfirmShippedAsync(id, f2);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var dispute = Assert.Single(h.Ports.Cases.CasesFor(id));
        Assert.Equal((ExceptionReason.FraudReview, "dispute"), (dispute.Reason, dispute.Step));
        Assert.Contains("evt_dispute_1", dispute.Error, StringComparison.Ordinal);

        // Recorded only: the order was never held.
        Assert.Equal(
            [OrderStatus.Received, OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment, OrderStatus.Fulfilled],
            h.Ports.Orders.HistoryOf(id));
        Assert.Contains(h.Ports.Orders.Get(id).Timeline, t => t.Kind == "payment" && t.Message.Contains("evt_dispute_1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_ChargeRefundedRaisedTwice_NotesOneTimelineEntryAndFulfills(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("7003", ("MUG", 1, 12_00));
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        await RaiseAsync(h, id, PaymentEvents.ChargeRefunded, "evt_refund_1", "requested_by_customer");
        await RaiseAsync(h, id, PaymentEvents.ChargeRefunded, "evt_refund_1", "requested_by_customer");
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var entry = Assert.Single(h.Ports.Orders.Get(id).Timeline, t => t.Kind == "payment");
        Assert.Contains(PaymentEvents.ChargeRefunded, entry.Message, StringComparison.Ordinal);
        Assert.Contains("evt_refund_1", entry.Message, StringComparison.Ordinal);
        Assert.Contains("requested_by_customer", entry.Message, StringComparison.Ordinal);
        Assert.Empty(h.Ports.Cases.CasesFor(id));
    }

    private static Task RaiseAsync(WorkflowHarness h, string orderId, string type, string eventId, string? reason) =>
        h.Client.RaiseEventAsync(
            orderId, PaymentEvents.EventName(type), new PaymentEventNotice(eventId, type, "pi_test", new Money(12_00, "USD"), reason, DateTimeOffset.UtcNow));
}
