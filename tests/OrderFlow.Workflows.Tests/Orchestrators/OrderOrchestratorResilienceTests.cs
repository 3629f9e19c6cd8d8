using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>Port failures on the real engine: the durable retry policy gets through, and retried steps do not repeat side effects.</summary>
public sealed class OrderOrchestratorResilienceTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task BuyLabel_CarrierFailsTwiceThenRecovers_RetriesToOneLabel(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("4001", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Carrier.Outage.FailNext(2);

        await h.StartOrderAsync(order);
        var dispatch = await h.DispatchedAsync($"{id}-F1");
        await h.ConfirmShippedAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var attempts = h.Ports.Carrier.Requests;
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(r => r.IdempotencyKey).Distinct());
        var label = Assert.Single(h.Ports.Carrier.Labels).Value;
        Assert.Equal(label.TrackingNumber, dispatch.TrackingNumber);
        Assert.Equal(label.TrackingNumber, Assert.Single(h.Ports.Orders.Get(id).Fulfillments).TrackingNumber);
        Assert.Empty(h.Ports.Cases.Cases);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RecordOrder_StoreFailsAfterWriting_RetryCreatesOneOrder(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("4002", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Orders.FailAfterCreate.FailNext(1);

        await h.StartOrderAsync(order);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal(2, h.Ports.Orders.CreateCalls);
        Assert.Equal(1, h.Ports.Orders.Count);
        Assert.Equal(OrderStatus.Received, h.Ports.Orders.HistoryOf(id)[0]);
        Assert.Single(h.Ports.Orders.HistoryOf(id), s => s == OrderStatus.Received);
        Assert.Equal(order, h.Ports.Orders.Get(id).Order);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_PortsFailAfterTheirSideEffect_RetriesDoNotRepeatIt(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("4003", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Notifier.FailAfterSend.FailNext(1);
        h.Ports.Carrier.FailAfterSale.FailNext(1);
        h.Ports.Ledger.FailAfterPost.FailNext(1);

        await h.StartOrderAsync(order);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);

        // Each port saw the retry (one more call than messages) and, keyed by the step's idempotency key, did it once.
        Assert.Equal(
            [new CustomerNotification(id, Milestone.OrderConfirmed, null), new CustomerNotification(id, Milestone.Shipped, $"{id}-F1")],
            h.Ports.Notifier.SentFor(id));
        Assert.Equal(3, h.Ports.Notifier.Calls);
        Assert.Equal(2, h.Ports.Carrier.Requests.Count);
        Assert.Single(h.Ports.Carrier.Labels);
        Assert.Equal(2, h.Ports.Ledger.Calls);
        Assert.Equal($"{id}:accounting", Assert.Single(h.Ports.Ledger.Posted).Reference);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_ConfirmationEmailUndeliverableAfterRetries_OpensNotificationCaseAndStillShips(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("4004", ("MUG", 1, 12_00));
        var id = order.OrderId;

        // Every attempt of the confirmation email fails (the payment verification's, from revision 19, then the 5 the
        // retry policy allows its own step), later emails go through.
        h.Ports.Notifier.FailAfterSend.FailNext(TestSettings.Default.ActivityMaxAttempts + 1);

        await h.StartOrderAsync(order);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var failed = Assert.Single(h.Ports.Cases.CasesFor(id));
        Assert.Equal(ExceptionReason.NotificationFailed, failed.Reason);
        Assert.Contains($"{id}:OrderConfirmed", failed.Error, StringComparison.Ordinal);
        Assert.Equal([CaseResolution.Approve], failed.AllowedResolutions);
        Assert.Contains(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Shipped);
    }
}
