using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>A location that rejects or comes up short: the units move to a location that has them, automatically.</summary>
public sealed class OrderOrchestratorRerouteTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Rejected_StockElsewhere_ReroutesWithoutACase(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 2), ("west", 5));
        var order = TestOrders.Create("7001", ("MUG", 2, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        var first = await h.DispatchedAsync($"{id}-F1");
        await h.Client.RaiseEventAsync(id, FulfillmentConfirmation.EventName(first.FulfillmentId),
            new FulfillmentConfirmation(first.FulfillmentId, FulfillmentConfirmation.Rejected, DateTimeOffset.UtcNow, "shelf empty"));
        var second = await h.DispatchedAsync($"{id}-F2");
        await h.ConfirmShippedAsync(id, second.FulfillmentId);
        var outcome = await h.OutcomeAsync(id);
        var mug = await h.InventoryAsync("MUG");

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.NotEqual(first.Location, second.Location);
        Assert.Equal(2, second.Lines.Single().Quantity);
        Assert.Empty(h.Ports.Cases.CasesFor(id));
        Assert.Equal(0, mug!.Reserved);
        Assert.Equal(5, mug.Locations[first.Location].OnHand + mug.Locations[second.Location].OnHand);
        Assert.Equal(order.Totals.Total, h.Ports.Payments.Captures.Aggregate(Money.Zero("USD"), (sum, c) => sum + c.Amount));
        Assert.Equal("rerouted", h.Ports.Orders.Get(id).Fulfillments.Single(f => f.FulfillmentId == first.FulfillmentId).Status);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task Short_ShipsWhatWasPackedAndReroutesTheRest(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 3), ("west", 5));
        var order = TestOrders.Create("7002", ("MUG", 3, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        var first = await h.DispatchedAsync($"{id}-F1");
        await h.Client.RaiseEventAsync(id, FulfillmentConfirmation.EventName(first.FulfillmentId),
            new FulfillmentConfirmation(first.FulfillmentId, FulfillmentConfirmation.Short, DateTimeOffset.UtcNow, "one broken", [new FulfillmentLine("MUG", 1)]));
        var second = await h.DispatchedAsync($"{id}-F2");
        await h.ConfirmShippedAsync(id, second.FulfillmentId);
        var outcome = await h.OutcomeAsync(id);
        var mug = await h.InventoryAsync("MUG");

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal(1, second.Lines.Single().Quantity);
        Assert.NotEqual(first.Location, second.Location);
        Assert.Equal((1, 4, 0), (mug!.Locations[first.Location].OnHand, mug.Locations[second.Location].OnHand, mug.Reserved));
        Assert.Equal(order.Totals.Total, h.Ports.Payments.Captures.Aggregate(Money.Zero("USD"), (sum, c) => sum + c.Amount));
        Assert.Equal(2, h.Ports.Notifier.SentFor(id).Count(n => n.Milestone == Milestone.Shipped));
    }
}
