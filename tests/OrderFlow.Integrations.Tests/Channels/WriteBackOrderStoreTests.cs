using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Shopify;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Integrations.WooCommerce;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Channels;

/// <summary>
/// The order store decorator over the real table store and write-back outbox on Azurite: what a Shopify or WooCommerce
/// order's activities record becomes one pending write-back per op, recorded once however often a step is retried, and
/// nothing for other sources or with the channel's WriteBack off.
/// </summary>
public sealed class WriteBackOrderStoreTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly TableWriteBackOutbox outbox = new(storage.Tables);

    [Fact]
    public async Task UpsertFulfillmentAsync_ShopifyParcelShipped_RecordsOneFulfillmentWriteHoweverOftenItIsRecorded()
    {
        var store = Store();
        var orderId = await CreateAsync(store, OrderSources.Shopify);

        await store.UpsertFulfillmentAsync(orderId, Parcel("label-purchased"));
        Assert.Empty(await PendingOf(orderId));

        await store.UpsertFulfillmentAsync(orderId, Parcel(FulfillmentConfirmation.Shipped));
        await store.UpsertFulfillmentAsync(orderId, Parcel(FulfillmentConfirmation.Shipped));
        await store.UpsertFulfillmentAsync(orderId, Parcel(CarrierStatuses.InTransit));

        var row = Assert.Single(await PendingOf(orderId));
        Assert.Equal(WriteBackOps.Fulfillment, row.Op);
        Assert.Equal("F-1", row.FulfillmentId);
        Assert.Equal(ShopifyInventoryChannel.ChannelName, row.Channel);
        Assert.Equal(CarrierStatuses.InTransit, Assert.Single((await store.GetAsync(orderId))!.Fulfillments).Status);
    }

    [Fact]
    public async Task TransitionAsync_HoldReleaseAndCancel_RecordsTheLatestHoldStateAndTheCancellationOnce()
    {
        var store = Store();
        var orderId = await CreateAsync(store, OrderSources.WooCommerce);

        await store.TransitionAsync(orderId, OrderStatus.Validated, "ok", At);
        Assert.Empty(await PendingOf(orderId));

        await store.TransitionAsync(orderId, OrderStatus.OnHold, "fraud review", At);
        await store.TransitionAsync(orderId, OrderStatus.OnHold, "fraud review", At); // a retried activity
        var hold = Assert.Single(await PendingOf(orderId));
        Assert.Equal(WriteBackOps.Hold, hold.Op);
        Assert.Equal(WooCommerceInventoryChannel.ChannelName, hold.Channel);

        await store.TransitionAsync(orderId, OrderStatus.Validated, "released", At.AddMinutes(1));
        Assert.Equal(WriteBackOps.Unhold, Assert.Single(await PendingOf(orderId)).Op);

        await store.TransitionAsync(orderId, OrderStatus.Cancelled, "customer asked", At.AddMinutes(2));
        await store.TransitionAsync(orderId, OrderStatus.Cancelled, "customer asked", At.AddMinutes(2));
        var rows = await PendingOf(orderId);
        Assert.Equal([WriteBackOps.Unhold, WriteBackOps.Cancel], rows.OrderBy(r => r.Sequence).Select(r => r.Op));
    }

    [Fact]
    public async Task TransitionAsync_Fulfilled_RecordsTheCompletion()
    {
        var store = Store();
        var orderId = await CreateAsync(store, OrderSources.Shopify);
        foreach (var status in new[] { OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment, OrderStatus.Fulfilled })
        {
            await store.TransitionAsync(orderId, status, string.Empty, At);
        }

        Assert.Equal(WriteBackOps.Complete, Assert.Single(await PendingOf(orderId)).Op);
    }

    [Fact]
    public async Task RecordRefundAsync_StripeRefundOfAShopifyOrder_RecordsOneRefundWriteWithTheAmountAndNotesTheTimeline()
    {
        var store = Store();
        var orderId = await CreateAsync(store, OrderSources.Shopify);
        var refund = new RefundPaymentRequest(orderId, "pi_3RefundE2E000000000000", new Money(1299, "USD"), "return", $"{orderId}:refund-R1");
        var result = new RefundResult(true, new Money(1299, "USD"), "re_1", null);

        await store.RecordRefundAsync(orderId, refund, result, new TimelineEntry(At, "payment", "Refund of 12.99 USD (return)"));
        await store.RecordRefundAsync(orderId, refund, result, new TimelineEntry(At, "payment", "Refund of 12.99 USD (return)")); // a retried activity

        var row = Assert.Single(await PendingOf(orderId));
        Assert.Equal((WriteBackOps.Refund, $"{orderId}:refund-R1", new Money(1299, "USD")), (row.Op, row.RefundKey, row.Amount));
        Assert.Equal(ShopifyInventoryChannel.ChannelName, row.Channel);
        Assert.Equal(2, (await store.GetAsync(orderId))!.Timeline.Count(t => t.Message.StartsWith("Refund of 12.99", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("woocommerce:order/{id}", false)] // the channel refunded it (api_refund): already on its order
    [InlineData("pi_3RefundE2E000000000000", true)] // an authorization released: no money moved
    public async Task RecordRefundAsync_ChannelHeldRefundOrVoid_RecordsNoWriteButNotesTheTimeline(string reference, bool voided)
    {
        var store = Store();
        var orderId = await CreateAsync(store, OrderSources.WooCommerce);
        var refund = new RefundPaymentRequest(orderId, reference.Replace("{id}", orderId, StringComparison.Ordinal), new Money(5451, "USD"), "cancel", $"{orderId}:refund-cancel");

        await store.RecordRefundAsync(orderId, refund, new RefundResult(true, new Money(5451, "USD"), "x", null, voided), new TimelineEntry(At, "payment", "refunded"));

        Assert.Empty(await PendingOf(orderId));
        Assert.Contains((await store.GetAsync(orderId))!.Timeline, t => t.Message == "refunded");
    }

    [Theory]
    [InlineData("test", true)]
    [InlineData("shopify", false)]
    public async Task Writes_OtherSourceOrWriteBackOff_RecordNothing(string source, bool writeBack)
    {
        var store = Store(writeBack);
        var orderId = await CreateAsync(store, source);

        await store.TransitionAsync(orderId, OrderStatus.Cancelled, "fraud", At);
        await store.UpsertFulfillmentAsync(orderId, Parcel(FulfillmentConfirmation.Shipped));

        Assert.Empty(await PendingOf(orderId));
        Assert.Equal(OrderStatus.Cancelled, (await store.GetAsync(orderId))!.Status);
    }

    private WriteBackOrderStore Store(bool writeBack = true) => new(
        new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance),
        outbox,
        Options.Create(new ChannelsOptions
        {
            Shopify = new ShopifyChannelOptions { ShopDomain = "orderflow-test.myshopify.com", AccessToken = "shpat_test_token_0123456789", Locations = "WH-EAST=1", WriteBack = writeBack },
            WooCommerce = new WooCommerceChannelOptions { StoreUrl = "https://shop.example.com", WriteBack = writeBack },
        }),
        new ManualClock(At));

    private static async Task<string> CreateAsync(WriteBackOrderStore store, string source)
    {
        var externalId = Random.Shared.NextInt64(1_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var order = TestOrders.Create(OrderIds.For(source, externalId)) with { Source = source, ExternalId = externalId };
        Assert.True(await store.CreateAsync(order, At));
        return order.OrderId;
    }

    private static FulfillmentRecord Parcel(string status) =>
        new("F-1", "WH-EAST", [new FulfillmentLine("SKU-MUG", 2)], status, "UPS", "1Z999AA10123456784", "https://www.ups.com/track?tracknum=1Z999AA10123456784", null);

    private async Task<List<WriteBackRow>> PendingOf(string orderId) => (await outbox.ReadPendingAsync()).Where(r => r.OrderId == orderId).ToList();
}
