using OrderFlow.Testing;
using System.Net;
using OrderFlow.EndToEnd.Tests.Infrastructure;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// The persistent engine: a host process killed while an order waits for its warehouses is replaced by a new process
/// on the same task hub, table prefix and worker id, which finishes the order. Own host, so the kill hits nobody else.
/// </summary>
public sealed class HostRestartTests(OrderFlowHostFixture host, ITestOutputHelper output) : IClassFixture<OrderFlowHostFixture>
{
    [Fact]
    public Task HostProcess_KilledWhileOrderAwaitsConfirmation_NewProcessResumesAndFulfills() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        await Stock.StockSampleSkusAsync(api);
        var order = TestOrder.Create();
        using (var accepted = await api.PostShopifyOrderAsync(order, $"restart-{order.ShopifyId}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        var before = await api.WaitForOrderAsync(
            order.OrderId,
            o => o.Fulfillments.Count == 2 && o.Fulfillments.All(f => f.Status == "awaiting-confirmation"),
            "two fulfillments awaiting confirmation");
        StockAssert.HeldBy(await api.GetStockAsync(Stock.Mug), order.OrderId, Stock.East, quantity: 2, onHand: Stock.MugsOnHand);
        StockAssert.HeldBy(await api.GetStockAsync(Stock.Tee), order.OrderId, Stock.West, quantity: 1, onHand: Stock.TeesOnHand);
        var history = new TaskHubHistory(host.TableService, host.TaskHubName);
        await Poll.UntilAsync(
            () => history.CountTimersFiringAfterAsync(order.OrderId, DateTimeOffset.UtcNow.AddHours(1)),
            timers => timers == 2,
            "the workflow to be parked on both confirmation deadlines");
        var killed = host.Host;

        await host.KillAndRestartAsync();

        Assert.NotNull(killed.ExitCode);
        Assert.NotEqual(killed.ProcessId, host.Host.ProcessId);
        api = host.Api;

        // The new process sees the entity state and the reservation the old one made.
        StockAssert.HeldBy(await api.GetStockAsync(Stock.Mug), order.OrderId, Stock.East, quantity: 2, onHand: Stock.MugsOnHand);
        StockAssert.HeldBy(await api.GetStockAsync(Stock.Tee), order.OrderId, Stock.West, quantity: 1, onHand: Stock.TeesOnHand);
        var after = await api.GetOrderAsync(order.OrderId);
        Assert.NotNull(after);
        Assert.Equal("InFulfillment", after.Status);
        Assert.Equal("Running", after.Workflow?.RuntimeStatus);
        Assert.Equal(
            before.Fulfillments.Select(f => (f.FulfillmentId, f.Status, f.TrackingNumber)),
            after.Fulfillments.Select(f => (f.FulfillmentId, f.Status, f.TrackingNumber)));

        // The pick lists queued before the crash are still there; the warehouses confirm to the new process.
        var pickLists = await host.Warehouse.ShipAsync(api, order.OrderId, Stock.East, Stock.West);
        StockAssert.PickListMatches(order.OrderId, before.Fulfillments[0], pickLists[before.Fulfillments[0].Location]);
        StockAssert.PickListMatches(order.OrderId, before.Fulfillments[1], pickLists[before.Fulfillments[1].Location]);

        var done = await api.WaitForCompletionAsync(order.OrderId, "Fulfilled");
        Assert.All(done.Fulfillments, f => Assert.Equal("shipped", f.Status));
        StockAssert.Committed(await api.GetStockAsync(Stock.Mug), Stock.East, onHand: Stock.MugsOnHand - 2);
        StockAssert.Committed(await api.GetStockAsync(Stock.Tee), Stock.West, onHand: Stock.TeesOnHand - 1);
        Assert.Equal(
            new[] { $"{order.OrderId}:OrderConfirmed", $"{order.OrderId}:Shipped:{order.FulfillmentId(1)}", $"{order.OrderId}:Shipped:{order.FulfillmentId(2)}" }.Order(),
            host.Smtp.ForOrder(order.OrderId).Select(NotificationEmails.KeyOf).Order());
    });
}
