using OrderFlow.Domain.Common;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Auth-then-capture over several parcels (revision 7, CapturesOnceWithoutMulticapture): an authorization that supports
/// multicapture is captured per parcel with final_capture only on the last; one that does not (the first capture
/// finalises it) is captured once, for the whole order, at the first shipment, and what then does not ship is refunded
/// from that capture. The order: 2 x MUG at 12.00 (east) and 1 x TEE at 20.00 (west): subtotal 44.00, tax 4.40,
/// shipping 5.00, total 53.40.
/// </summary>
public sealed class OrderOrchestratorMulticaptureTests
{
    private static readonly Money Total = new(53_40, "USD");

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_MulticaptureTwoParcels_CapturesEachParcelFinalOnlyOnTheLast(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var order = await TwoParcelOrderAsync(h, "9701", multicapture: true);

        var outcome = await h.ShipToTheEndAsync(order, parcels: 2);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        h.AssertCapturedPerParcel(order);
        var captures = h.Ports.Payments.Captures;
        Assert.Equal([24_00L, 29_40L], captures.Select(c => c.Amount.MinorUnits));
        Assert.All(captures, c => Assert.Null(c.Note));
        Assert.Empty(h.Ports.Payments.Refunds);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_NoMulticaptureTwoParcels_CapturesTheWholeOrderOnceAtTheFirstShipment(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var order = await TwoParcelOrderAsync(h, "9702", multicapture: false);
        var id = order.OrderId;

        var outcome = await h.ShipToTheEndAsync(order, parcels: 2);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var capture = Assert.Single(h.Ports.Payments.Captures);
        Assert.Equal(($"{id}:capture-{id}-F1", Total, true), (capture.IdempotencyKey, capture.Amount, capture.FinalCapture));
        var note = Assert.Single(h.Ports.Orders.TimelineOf(id, "payment"), e => e.Message.Contains("multicapture", StringComparison.Ordinal));
        Assert.StartsWith(
            $"The card does not support multicapture: the whole order (53.40 USD) is captured at the first shipment ({id}-F1); later shipments capture nothing. Captured 53.40 USD",
            note.Message,
            StringComparison.Ordinal);
        Assert.Empty(h.Ports.Payments.Refunds);
        Assert.Empty(h.Ports.Cases.CasesFor(id));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_NoMulticaptureLineNeverShips_RefundsItsShareFromTheSingleCapture(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("TEE", "Tee", true, OutOfStockPolicies.Backorder));
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 0));
        var order = TestOrders.Create("9703", ("MUG", 2, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture, multicapture: false);

        // The mugs ship; the tee waits for stock, so the whole order is captured now (a later capture would be refused).
        await h.StartOrderAsync(order);
        await h.ShipAsync(id, $"{id}-F1");
        await h.UntilAsync(() => h.Ports.Payments.Captures.Count == 1, "the whole order is captured at the first shipment");
        var capture = h.Ports.Payments.Captures.Single();

        // The tee never ships: its line is cancelled while it waits.
        await h.CancelAsync(id, new CancelOrderRequest("c-9703", [new CancelLine("TEE", 1)], true, true, true, "customer-request", "ops@example.test"));
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(($"{id}:capture-{id}-F1", Total, true), (capture.IdempotencyKey, capture.Amount, capture.FinalCapture));
        Assert.Single(h.Ports.Payments.Captures);
        Assert.Equal(OrderStatus.PartiallyFulfilled, outcome.Status);

        // The tee (20.00) and its tax share (2.00) come back from the capture; the mugs, their tax and shipping stay.
        var refund = Assert.Single(h.Ports.Payments.Refunds);
        Assert.Equal((new Money(22_00, "USD"), $"{id}:refund-not-shipped"), (refund.Amount, refund.IdempotencyKey));
        Assert.Equal(31_40, capture.Amount.MinorUnits - refund.Amount.MinorUnits);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_NoMulticaptureOneParcel_CapturesTheTotalOnceWithoutANote(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("east", 5));
        var order = TestOrders.Create("9704", ("MUG", 2, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture, multicapture: false);

        var outcome = await h.ShipToTheEndAsync(order);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var capture = Assert.Single(h.Ports.Payments.Captures);
        Assert.Equal((Total, true, (string?)null), (capture.Amount, capture.FinalCapture, capture.Note));
        Assert.DoesNotContain(h.Ports.Orders.TimelineOf(id, "payment"), e => e.Message.Contains("multicapture", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_NoMulticaptureUnderRevision6_StillCapturesPerParcel()
    {
        // An order started before revision 7 finishes on the path it began: one capture per parcel.
        await using var h = await WorkflowHarness.StartAsync(DurableEngineBackend.InMemory);
        var order = await TwoParcelOrderAsync(h, "9705", multicapture: false);
        var id = order.OrderId;

        await h.StartOrderAsync(order, revision: OrderWorkflowVersions.CancellationReachesLocation);
        await h.ShipAsync(id, $"{id}-F1", $"{id}-F2");
        await h.OutcomeAsync(id);

        h.AssertCapturedPerParcel(order);
    }

    /// <summary>The order of the class summary, authorized (RequiresCapture) with the given multicapture support, routed to two locations.</summary>
    private static async Task<Order> TwoParcelOrderAsync(WorkflowHarness h, string externalId, bool multicapture)
    {
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 5));
        var order = TestOrders.Create(externalId, ("MUG", 2, 12_00), ("TEE", 1, 20_00));
        Assert.Equal(Total, order.Totals.Total);
        h.Ports.Payments.Script(order.OrderId, PaymentState.RequiresCapture, multicapture: multicapture);
        return order;
    }
}
