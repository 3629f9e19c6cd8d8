using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Tests.Storage;

/// <summary>
/// An order's first delivery in one write (<see cref="TableDeliveryStore.TryRecordNewOrderAsync"/>): the order id's
/// claim and the accepted record are one entity-group transaction in the source's partition, both or neither; claims
/// made before claims moved there (partition "~orders") still hold.
/// </summary>
public sealed class TableDeliveryStoreNewOrderTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 5, 0, 0, TimeSpan.Zero);
    private readonly TableDeliveryStore store = new(storage.Tables, NullLogger<TableDeliveryStore>.Instance);

    [Fact]
    public async Task TryRecordNewOrderAsync_FirstDelivery_RecordsItAndClaimsTheOrderIdInTheSourcesPartition()
    {
        var (order, delivery) = NewOrder();

        Assert.True(await store.TryRecordNewOrderAsync(delivery, order));

        Assert.Equal(delivery, await store.GetAsync("shopify", delivery.DeliveryId));
        Assert.Equal(order.OrderId, (await store.GetOrderAsync("shopify", delivery.DeliveryId))!.OrderId);
        Assert.Equal(new OrderContentClaim(order.OrderId, delivery.ContentHash!, delivery.DeliveryId), await store.ClaimOrderAsync(order.OrderId, "other-hash", "other-delivery"));
        var table = await storage.Tables.GetAsync(TableNames.Deliveries);
        var claim = await table.GetEntityIfExistsAsync<TableEntity>("shopify", $"order|{order.OrderId}");
        Assert.True(claim.HasValue, "the claim lives beside the source's deliveries");
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("~orders", order.OrderId)).HasValue);
    }

    [Fact]
    public async Task TryRecordNewOrderAsync_OrderIdAlreadyClaimed_WritesNothing()
    {
        var (order, delivery) = NewOrder();
        await store.ClaimOrderAsync(order.OrderId, "earlier-hash", "earlier-delivery");

        Assert.False(await store.TryRecordNewOrderAsync(delivery, order));

        Assert.Null(await store.GetAsync("shopify", delivery.DeliveryId));
        Assert.Equal("earlier-hash", (await store.ClaimOrderAsync(order.OrderId, delivery.ContentHash!, delivery.DeliveryId)).ContentHash);
    }

    [Fact]
    public async Task TryRecordNewOrderAsync_DeliveryIdAlreadyRecorded_WritesNothing()
    {
        var (earlier, earlierDelivery) = NewOrder();
        Assert.True(await store.TryRecordAcceptedAsync(earlierDelivery, earlier));
        var (order, _) = NewOrder();
        var delivery = earlierDelivery with { OrderId = order.OrderId, ContentHash = OrderContent.Hash(order) };

        Assert.False(await store.TryRecordNewOrderAsync(delivery, order));

        Assert.Equal(earlier.OrderId, (await store.GetAsync("shopify", delivery.DeliveryId))!.OrderId);
        // No claim was made: this delivery's claim is the first.
        Assert.Equal(new OrderContentClaim(order.OrderId, "later-hash", "later"), await store.ClaimOrderAsync(order.OrderId, "later-hash", "later"));
    }

    [Theory]
    [InlineData("woocommerce")] // the id names another source
    [InlineData("NoSource")] // the id names no source: its claim stays in "~orders"
    public async Task TryRecordNewOrderAsync_ClaimInAnotherPartition_WritesNothingSoTheCallerGoesOneAtATime(string idSource)
    {
        var (order, delivery) = NewOrder($"{idSource}-{Guid.NewGuid():N}");

        Assert.False(await store.TryRecordNewOrderAsync(delivery, order));

        Assert.Null(await store.GetAsync("shopify", delivery.DeliveryId));
        Assert.Equal(new OrderContentClaim(order.OrderId, "h", "d"), await store.ClaimOrderAsync(order.OrderId, "h", "d"));
    }

    [Fact]
    public async Task ClaimOrderAsync_ClaimMadeBeforeClaimsMoved_StillHolds()
    {
        var (order, delivery) = NewOrder();
        var table = await storage.Tables.GetAsync(TableNames.Deliveries);
        await table.AddEntityAsync(new TableEntity("~orders", order.OrderId)
        {
            ["OrderId"] = order.OrderId,
            ["ContentHash"] = "hash-before-the-move",
            ["DeliveryId"] = "delivery-before-the-move",
        });

        // The one write cannot see it (it is in another partition); the claim that follows does.
        Assert.True(await store.TryRecordNewOrderAsync(delivery, order));
        var held = await store.ClaimOrderAsync(order.OrderId, delivery.ContentHash!, delivery.DeliveryId);

        Assert.Equal(new OrderContentClaim(order.OrderId, "hash-before-the-move", "delivery-before-the-move"), held);
    }

    [Fact]
    public async Task WithdrawNewOrderAsync_RemovesTheRecordAndTheClaim_OnlyWhileTheyNameThisDelivery()
    {
        var (order, delivery) = NewOrder();
        Assert.True(await store.TryRecordNewOrderAsync(delivery, order));

        await store.WithdrawNewOrderAsync(delivery with { ContentHash = "another-body" }, order);
        Assert.NotNull(await store.GetAsync("shopify", delivery.DeliveryId));
        Assert.Equal(delivery.ContentHash, (await store.ClaimOrderAsync(order.OrderId, "x", "y")).ContentHash);

        await store.WithdrawNewOrderAsync(delivery, order);
        Assert.Null(await store.GetAsync("shopify", delivery.DeliveryId));
        Assert.Equal(new OrderContentClaim(order.OrderId, "x", "y"), await store.ClaimOrderAsync(order.OrderId, "x", "y"));
    }

    [Fact]
    public async Task TryRecordNewOrderAsync_ManyDeliveriesOfOneOrderAtOnce_ExactlyOneRecordsIt()
    {
        var (order, _) = NewOrder();
        var deliveries = Enumerable.Range(0, 8)
            .Select(i => new WebhookDelivery("shopify", $"d-{i}-{Guid.NewGuid():N}", "orders/create", T0, DeliveryOutcomes.Accepted, null, order.OrderId, "{}") { ContentHash = OrderContent.Hash(order) })
            .ToList();

        var results = await Task.WhenAll(deliveries.Select(d => store.TryRecordNewOrderAsync(d, order)));

        var winner = Assert.Single(deliveries.Where((_, i) => results[i]));
        Assert.Equal(winner.DeliveryId, (await store.ClaimOrderAsync(order.OrderId, "x", "y")).DeliveryId);
        foreach (var loser in deliveries.Where(d => d != winner))
        {
            Assert.Null(await store.GetAsync("shopify", loser.DeliveryId));
        }
    }

    private static (Order Order, WebhookDelivery Delivery) NewOrder(string? orderId = null)
    {
        var order = TestOrders.Create(orderId ?? OrderIds.For("shopify", Guid.NewGuid().ToString("N")));
        var delivery = new WebhookDelivery("shopify", Guid.NewGuid().ToString(), "orders/create", T0, DeliveryOutcomes.Accepted, null, order.OrderId, "{\"id\":1}")
        {
            ContentHash = OrderContent.Hash(order),
        };
        return (order, delivery);
    }
}
