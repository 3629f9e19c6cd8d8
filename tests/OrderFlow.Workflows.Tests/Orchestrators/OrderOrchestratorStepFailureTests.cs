using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>An activity that still fails after the durable retry policy becomes an UnhandledStepFailure case, not a failed workflow.</summary>
public sealed class OrderOrchestratorStepFailureTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task BuyLabel_CarrierDownForGood_OpensUnhandledStepFailureCase_RetryAfterHealCompletes(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("7101", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Carrier.Outage.FailNext(int.MaxValue);

        await h.StartOrderAsync(order);
        var failed = await h.CaseOpenedAsync(id, ExceptionReason.UnhandledStepFailure);

        Assert.Equal(nameof(BuyLabelActivity), failed.Step);
        Assert.Contains("503", failed.Error, StringComparison.Ordinal);
        Assert.Equal([CaseResolution.RetryStep, CaseResolution.Cancel], failed.AllowedResolutions);

        h.Ports.Carrier.Outage.FailNext(0);
        await h.DecideAsync(failed, CaseResolution.RetryStep);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Single(h.Ports.Carrier.Labels);
        Assert.Single(h.Ports.Cases.CasesFor(id));
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((4, 0), (mug!.OnHand, mug.Reserved));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task BuyLabel_CarrierDownForGood_CancelReleasesStockAndCancelsOrder(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("7102", ("MUG", 2, 12_00));
        var id = order.OrderId;
        h.Ports.Carrier.Outage.FailNext(int.MaxValue);

        await h.StartOrderAsync(order);
        var failed = await h.CaseOpenedAsync(id, ExceptionReason.UnhandledStepFailure);
        var held = await h.InventoryAsync("MUG");
        Assert.Equal(2, held!.Reserved);

        await h.DecideAsync(failed, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Contains(nameof(BuyLabelActivity), outcome.Summary, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Cancelled, h.Ports.Orders.StatusOf(id));
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((5, 0, 0), (mug!.OnHand, mug.Reserved, mug.Reservations.Count));
        Assert.Contains(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Cancelled);
        Assert.Empty(h.Ports.Carrier.Labels);
    }
}
