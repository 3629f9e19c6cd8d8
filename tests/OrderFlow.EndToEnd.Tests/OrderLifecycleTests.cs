using OrderFlow.Testing;
using System.Net;
using Azure.Data.Tables;
using OrderFlow.EndToEnd.Tests.Contracts;
using OrderFlow.EndToEnd.Tests.Infrastructure;
using OrderFlow.Integrations.Storage;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>The acceptance test: one Shopify order through the real host, from webhook to shipped emails.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class OrderLifecycleTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task OrdersCreate_SignedOrderForStockedSkus_ReservesShipsCommitsAndEmailsOnce() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        await Stock.StockSampleSkusAsync(api);
        var order = TestOrder.Create();

        using var accepted = await api.PostShopifyOrderAsync(order, $"webhook-{order.ShopifyId}");

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var intake = await OrderFlowApi.ReadIntakeAsync(accepted);
        Assert.Equal(new IntakeResponse(order.OrderId, "accepted", $"/api/orders/{order.OrderId}"), intake);
        Assert.Equal(intake.StatusUrl, accepted.Headers.Location?.OriginalString);

        // The workflow's first step records the order in the Orders table.
        var orders = host.Table(TableNames.Orders);
        var row = await Poll.UntilAsync(
            async () => await orders.GetEntityIfExistsAsync<TableEntity>(order.OrderId, "order"),
            r => r.HasValue,
            $"order row {order.OrderId} in {orders.Name}");
        Assert.Equal(order.OrderId, row.Value!.GetString("OrderId"));
        Assert.Equal("shopify", row.Value.GetString("Source"));
        Assert.Equal(order.OrderNumber, row.Value.GetString("OrderNumber"));
        Assert.Contains(order.Email, row.Value.GetString("OrderJson"), StringComparison.Ordinal);

        // Reserved, routed to both locations, a label bought for each fulfillment and handed over.
        var awaiting = await api.WaitForOrderAsync(
            order.OrderId,
            o => o.Fulfillments.Count == 2 && o.Fulfillments.All(f => f.Status == "awaiting-confirmation"),
            "two fulfillments awaiting confirmation");
        Assert.Equal("InFulfillment", awaiting.Status);
        var east = Assert.Single(awaiting.Fulfillments, f => f.Location == Stock.East);
        var west = Assert.Single(awaiting.Fulfillments, f => f.Location == Stock.West);
        Assert.Equal(order.FulfillmentId(1), east.FulfillmentId);
        Assert.Equal(order.FulfillmentId(2), west.FulfillmentId);
        Assert.Equal([new FulfillmentLineResponse(Stock.Mug, 2)], east.Lines);
        Assert.Equal([new FulfillmentLineResponse(Stock.Tee, 1)], west.Lines);
        foreach (var f in awaiting.Fulfillments)
        {
            Assert.Equal("SandboxPost", f.Carrier);
            Assert.Matches("^SBX[0-9]{12}$", f.TrackingNumber);
            Assert.EndsWith(f.TrackingNumber!, f.TrackingUrl, StringComparison.Ordinal);
        }

        Assert.NotEqual(east.TrackingNumber, west.TrackingNumber);

        var mugs = await api.GetStockAsync(Stock.Mug);
        var tees = await api.GetStockAsync(Stock.Tee);
        StockAssert.HeldBy(mugs, order.OrderId, Stock.East, quantity: 2, onHand: Stock.MugsOnHand);
        StockAssert.HeldBy(tees, order.OrderId, Stock.West, quantity: 1, onHand: Stock.TeesOnHand);

        // The warehouses read their pick lists and confirm with signed callbacks.
        var pickLists = await host.Warehouse.ShipAsync(api, order.OrderId, Stock.East, Stock.West);
        StockAssert.PickListMatches(order.OrderId, east, pickLists[Stock.East]);
        StockAssert.PickListMatches(order.OrderId, west, pickLists[Stock.West]);
        Assert.NotEqual(pickLists[Stock.East].IdempotencyKey, pickLists[Stock.West].IdempotencyKey);

        var done = await api.WaitForCompletionAsync(order.OrderId, "Fulfilled");
        Assert.All(done.Fulfillments, f => Assert.Equal("shipped", f.Status));
        Assert.Equal(
            ["Validated", "PaymentConfirmed", "Reserved", "InFulfillment", "Fulfilled"],
            done.Timeline.Where(t => t.Kind == "status" && t.Message.Contains(" -> ", StringComparison.Ordinal))
                .Select(t => t.Message.Split(" -> ")[1].Split(':')[0])
                .ToList());
        Assert.Equal("Fulfilled", (await orders.GetEntityAsync<TableEntity>(order.OrderId, "order")).Value.GetString("Status"));

        // A warehouse that sends its confirmation again after the order completed is told so, and nothing re-runs.
        using (var late = await api.PostFulfillmentEventAsync(east.FulfillmentId, "shipped"))
        {
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
            Assert.Contains("already ended", (await OrderFlowApi.ReadProblemAsync(late)).Detail, StringComparison.Ordinal);
        }

        // Shipping committed the reserved units: on-hand went down, nothing is held any more.
        mugs = await api.GetStockAsync(Stock.Mug);
        tees = await api.GetStockAsync(Stock.Tee);
        StockAssert.Committed(mugs, Stock.East, onHand: Stock.MugsOnHand - 2);
        StockAssert.Committed(tees, Stock.West, onHand: Stock.TeesOnHand - 1);

        // One confirmation and one shipped email per fulfillment, to the order's address, each exactly once.
        var emails = host.Smtp.ForOrder(order.OrderId);
        Assert.Equal(
            new[] { $"{order.OrderId}:OrderConfirmed", $"{order.OrderId}:Shipped:{east.FulfillmentId}", $"{order.OrderId}:Shipped:{west.FulfillmentId}" }.Order(),
            emails.Select(NotificationEmails.KeyOf).Order());
        Assert.All(emails, m => Assert.Equal(order.Email, Assert.Single(m.To.Mailboxes).Address));
        var outbox = new List<TableEntity>();
        await foreach (var entry in host.Table(TableNames.Notifications).QueryAsync<TableEntity>(e => e.PartitionKey == order.OrderId))
        {
            outbox.Add(entry);
        }

        Assert.Equal(emails.Select(NotificationEmails.KeyOf).Order(), outbox.Select(e => e.GetString("NotificationKey")).Order());
        Assert.All(outbox, e => Assert.Equal("sent", e.GetString("Status")));

        var confirmation = Assert.Single(emails, m => NotificationEmails.KeyOf(m)!.EndsWith(":OrderConfirmed", StringComparison.Ordinal));
        Assert.Equal($"Your {OrderFlowHostFixture.StoreName} order {order.OrderNumber} is confirmed", confirmation.Subject);
        foreach (var (shipped, other) in new[] { (east, west), (west, east) })
        {
            var email = Assert.Single(emails, m => NotificationEmails.KeyOf(m)!.EndsWith($":Shipped:{shipped.FulfillmentId}", StringComparison.Ordinal));
            Assert.Equal($"Part of your {OrderFlowHostFixture.StoreName} order {order.OrderNumber} has shipped", email.Subject);
            Assert.Contains(shipped.TrackingNumber!, email.TextBody, StringComparison.Ordinal);
            Assert.Contains(shipped.TrackingNumber!, email.HtmlBody, StringComparison.Ordinal);
            Assert.DoesNotContain(other.TrackingNumber!, email.TextBody, StringComparison.Ordinal);
        }
    });
}
