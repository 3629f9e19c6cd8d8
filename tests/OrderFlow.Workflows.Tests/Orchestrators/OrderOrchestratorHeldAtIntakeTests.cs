using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// What reached OrderFlow for an order before its workflow existed (a payment notice of its intent, a store's
/// cancellation overtaking its order) and was held: since revision 13 intake answers without reading it, and the
/// order's first activity takes it, the workflow raises it to itself and marks it relayed. On the real engine.
/// </summary>
public sealed class OrderOrchestratorHeldAtIntakeTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_CancellationHeldBeforeTheOrder_CancelledWithoutStockAndNoLongerHeld(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await h.MugOrderAsync("13001");
        await h.Ports.PendingCancellations.HoldAsync(id, Cancel("cancel-held-1"));

        await h.StartOrderAsync(order);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Empty(await h.Ports.PendingCancellations.ListAsync(id));
        var mug = await h.InventoryAsync("MUG");
        Assert.True(mug is null || (mug.Reserved, mug.Reservations.Count) == (0, 0));
        Assert.Empty(h.Ports.Carrier.Requests);
        Assert.Empty(h.Ports.Ledger.Posted);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_PaymentFailureHeldBeforeTheOrder_BindsTheIntentRaisesTheNoticeAndMarksItRelayed(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await h.MugOrderAsync("13002");
        var at = DateTimeOffset.UtcNow;
        await h.Ports.PaymentIndex.AddPendingAsync(Notice(order, "evt_late", PaymentEvents.ChargeRefunded, "requested_by_customer", at));
        await h.Ports.PaymentIndex.AddPendingAsync(Notice(order, "evt_early", PaymentEvents.PaymentIntentPaymentFailed, "card_declined", at.AddSeconds(-5)));

        await h.StartOrderAsync(order);
        var failed = await h.CaseOpenedAsync(id, ExceptionReason.PaymentFailed);
        await h.DecideAsync(failed, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Contains("card_declined", failed.Error, StringComparison.Ordinal);
        Assert.Equal(id, await h.Ports.PaymentIndex.FindOrderAsync(order.PaymentReference!));
        Assert.Empty(await h.Ports.PaymentIndex.GetPendingAsync(order.PaymentReference!));
        Assert.Equal([("evt_early", id), ("evt_late", id)], h.Ports.PaymentIndex.Relayed);
        Assert.Contains(h.Ports.Orders.Get(id).Timeline, t => t.Kind == "payment" && t.Message.Contains("evt_early", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task RunAsync_NoticeOfAnIntentAnotherOrderHolds_LeftForThatOrder(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, _) = await h.MugOrderAsync("13003");
        await h.Ports.PaymentIndex.RecordOrderAsync(order.PaymentReference!, "shop-other");
        await h.Ports.PaymentIndex.AddPendingAsync(Notice(order, "evt_other", PaymentEvents.ChargeRefunded, null, DateTimeOffset.UtcNow));

        await h.StartOrderAsync(order);
        var failed = await h.CaseOpenedAsync(order.OrderId, ExceptionReason.PaymentFailed);

        // Payment verification refuses an intent another order holds; its notice stays pending for that order.
        Assert.Equal("shop-other", await h.Ports.PaymentIndex.FindOrderAsync(order.PaymentReference!));
        Assert.Equal("evt_other", Assert.Single(await h.Ports.PaymentIndex.GetPendingAsync(order.PaymentReference!)).EventId);
        Assert.Empty(h.Ports.PaymentIndex.Relayed);
        Assert.NotNull(failed);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task RunAsync_Revision12_IntakeRelayedForItSoTheHeldCancellationIsNotRead(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await h.MugOrderAsync("13004");
        await h.Ports.PendingCancellations.HoldAsync(id, Cancel("cancel-held-12"));

        await h.StartOrderAsync(order, revision: OrderWorkflowVersions.FulfillmentAsChild);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal("cancel-held-12", Assert.Single(await h.Ports.PendingCancellations.ListAsync(id)).RequestId);
    }

    private static CancelOrderRequest Cancel(string requestId) =>
        new(requestId, null, Restock: true, Refund: true, NotifyCustomer: true, "customer", "shopify");

    private static PaymentEventNotice Notice(Order order, string eventId, string type, string? reason, DateTimeOffset at) =>
        new(eventId, type, order.PaymentReference!, new Money(order.Totals.Total.MinorUnits, "USD"), reason, at);
}
