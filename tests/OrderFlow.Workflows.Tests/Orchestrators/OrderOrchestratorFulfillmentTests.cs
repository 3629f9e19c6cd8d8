using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// The order lifecycle through fulfillment on the real engine: splitting across locations, labels, hand-offs,
/// confirmations, stock commits, captures and accounting.
/// </summary>
public sealed class OrderOrchestratorFulfillmentTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_TwoSkusStockedAtTwoLocations_ShipsTwoFulfillmentsAndEndsFulfilled(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 4));
        var order = TestOrders.Create("1001", ("MUG", 2, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        string f1 = $"{id}-F1", f2 = $"{id}-F2";

        await h.StartOrderAsync(order);
        var east = await h.DispatchedAsync(f1);
        var west = await h.DispatchedAsync(f2);
        var labelsBeforeConfirmation = h.Ports.Carrier.Labels;
        var shippedBeforeConfirmation = h.Ports.Notifier.SentFor(id).Count(n => n.Milestone == Milestone.Shipped);
        await h.ConfirmShippedAsync(id, f1);
        await h.ConfirmShippedAsync(id, f2);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(new OrderOutcome(id, OrderStatus.Fulfilled, "2 of 2 fulfillment(s) shipped."), outcome);
        Assert.Equal(
            [OrderStatus.Received, OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment, OrderStatus.Fulfilled],
            h.Ports.Orders.HistoryOf(id));

        // Split by where the stock was reserved: MUG from east, TEE from west.
        Assert.Equal(("east", "MUG", 2), (east.Location, Assert.Single(east.Lines).Sku, east.Lines[0].Quantity));
        Assert.Equal(("west", "TEE", 1), (west.Location, Assert.Single(west.Lines).Sku, west.Lines[0].Quantity));

        // Labels bought once per fulfillment under keys derived from the instance id; each hand-off carries its label.
        var labels = h.Ports.Carrier.Labels;
        Assert.Equal([$"{id}:label-{f1}", $"{id}:label-{f2}"], labels.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(labelsBeforeConfirmation.Count, labels.Count);
        Assert.Equal(labels[$"{id}:label-{f1}"].TrackingNumber, east.TrackingNumber);
        Assert.Equal(labels[$"{id}:label-{f2}"].TrackingNumber, west.TrackingNumber);
        Assert.Equal([$"{id}:dispatch-{f1}", $"{id}:dispatch-{f2}"], h.Ports.Fulfillment.Dispatches.Select(d => d.IdempotencyKey));
        Assert.Equal(2, h.Ports.Fulfillment.Calls);

        // Confirmation email first; one shipped email per fulfillment, and none before its confirmation.
        var sent = h.Ports.Notifier.SentFor(id);
        Assert.Equal(new CustomerNotification(id, Milestone.OrderConfirmed, null), sent[0]);
        Assert.Equal(0, shippedBeforeConfirmation);
        Assert.Equal(
            [new CustomerNotification(id, Milestone.Shipped, f1), new CustomerNotification(id, Milestone.Shipped, f2)],
            sent.Skip(1).OrderBy(n => n.FulfillmentId, StringComparer.Ordinal));

        // Stock committed: on-hand down by what shipped, nothing left reserved.
        var mug = await h.InventoryAsync("MUG");
        var tee = await h.InventoryAsync("TEE");
        Assert.Equal((3, 0, 0), (mug!.OnHand, mug.Reserved, mug.Reservations.Count));
        Assert.Equal((3, 0, 0), (tee!.OnHand, tee.Reserved, tee.Reservations.Count));
        Assert.Equal(3, mug.Locations["east"].OnHand);
        Assert.Equal(3, tee.Locations["west"].OnHand);

        // Accounting posted exactly once, with the order's revenue and tax.
        var sale = Assert.Single(h.Ports.Ledger.Posted);
        Assert.Equal($"{id}:accounting", sale.Reference);
        Assert.Equal((order.Totals.Subtotal, order.Totals.Tax), (sale.Revenue, sale.Tax));
        Assert.Equal(1, h.Ports.Ledger.Calls);

        // The activity gives accounting the order's lines, and its tax as one line (intake keeps no jurisdictions).
        Assert.Equal(order.Lines.Select(l => new SaleLine(l.Sku, l.Title, l.Quantity, l.UnitPrice)), sale.Lines!);
        Assert.Equal([new TaxLine(null, order.Totals.Tax)], sale.TaxLines!);

        Assert.All(h.Ports.Orders.Get(id).Fulfillments, f => Assert.Equal("shipped", f.Status));
        Assert.Empty(h.Ports.Payments.Captures);
        Assert.Empty(h.Ports.Cases.Cases);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_PaymentRequiresCapture_CapturesOncePerShipmentSummingToTotal(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 4));
        var order = TestOrders.Create("1002", ("MUG", 2, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);

        await h.StartOrderAsync(order);
        await h.ShipAsync(id, $"{id}-F1", $"{id}-F2");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var captures = h.Ports.Payments.Captures;
        Assert.Equal(2, captures.Count);
        Assert.Equal([$"{id}:capture-{id}-F1", $"{id}:capture-{id}-F2"], captures.Select(c => c.IdempotencyKey));
        Assert.All(captures, c => Assert.Equal(order.PaymentReference, c.PaymentReference));

        // The first shipment captures its goods (2 x 12.00); the last takes the remainder, shipping and tax included.
        Assert.Equal(24_00, captures[0].Amount.MinorUnits);
        Assert.Equal(order.Totals.Total.MinorUnits, captures.Sum(c => c.Amount.MinorUnits));
        Assert.Equal([false, true], captures.Select(c => c.FinalCapture));
        Assert.All(captures, c => Assert.Equal("USD", c.Amount.Currency));
    }
}
