using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Shopify;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Integrations.Tests.Shopify;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using WireMock.ResponseBuilders;
using static OrderFlow.Integrations.Tests.Shopify.ShopifyAdminStub;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.Channels;

/// <summary>
/// The whole write-back path as registered: a Shopify order's activities write through the order store decorator, and
/// the channel-sync run sends the writes through the production Shopify client to a WireMock Admin API: one
/// fulfillment with tracking per shipped parcel, however often it was recorded or the run repeated, and the cancellation.
/// </summary>
public sealed class WriteBackFlowTests(StorageFixture storage) : IClassFixture<StorageFixture>, IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly WireMockServer server = WireMockServer.Start();

    public void Dispose() => server.Stop();

    [Fact]
    public async Task ChannelSyncRun_ShippedParcelsAndACancellation_ReachShopifyOnceEach()
    {
        using var provider = Build();
        var store = provider.GetRequiredService<IOrderStore>();
        var shipped = await CreateAsync(store, "5001");
        var cancelled = await CreateAsync(store, "5002");
        server.Given(Post("*OrderFlowFulfillmentOrders*")).RespondWith(Json(FulfillmentOrders(shipped.ExternalId)));
        server.Given(Post("*fulfillmentCreate(*")).RespondWith(Json("""{"data":{"fulfillmentCreate":{"fulfillment":{"id":"gid://shopify/Fulfillment/1","status":"SUCCESS"},"userErrors":[]}}}"""));
        server.Given(Post("*OrderFlowOrder(*")).RespondWith(Json("""{"data":{"order":{"id":"gid://shopify/Order/5002","cancelledAt":null,"tags":[]}}}"""));
        server.Given(Post("*orderCancel(*")).RespondWith(Json("""{"data":{"orderCancel":{"job":{"id":"gid://shopify/Job/1","done":false},"orderCancelUserErrors":[]}}}"""));

        foreach (var (id, sku, tracking) in new[] { ("F-1", "SKU-MUG", "1Z0000000000000001"), ("F-2", "SKU-TEE", "1Z0000000000000002") })
        {
            var parcel = new FulfillmentRecord(id, "WH-EAST", [new FulfillmentLine(sku, sku == "SKU-MUG" ? 2 : 1)], FulfillmentConfirmation.Shipped, "UPS", tracking, $"https://www.ups.com/track?tracknum={tracking}", null);
            await store.UpsertFulfillmentAsync(shipped.OrderId, parcel);
            await store.UpsertFulfillmentAsync(shipped.OrderId, parcel with { Status = CarrierStatuses.InTransit });
        }

        await store.TransitionAsync(cancelled.OrderId, OrderStatus.Cancelled, "customer asked", At);
        var pusher = provider.GetRequiredService<ChannelSyncPusher>();
        await pusher.RunOnceAsync();
        await pusher.RunOnceAsync();

        var creates = Requests(server, "fulfillmentCreate(");
        Assert.Equal(2, creates.Count);
        Assert.Equal(
            ["1Z0000000000000001", "1Z0000000000000002"],
            creates.Select(c => Variables(c).GetProperty("fulfillment").GetProperty("trackingInfo").GetProperty("number").GetString()).Order(StringComparer.Ordinal));
        var cancel = Variables(Assert.Single(Requests(server, "orderCancel(")));
        Assert.Equal("gid://shopify/Order/5002", cancel.GetProperty("orderId").GetString());
        Assert.DoesNotContain(await provider.GetRequiredService<TableWriteBackOutbox>().ReadPendingAsync(), r => r.OrderId == shipped.OrderId || r.OrderId == cancelled.OrderId);
    }

    private static async Task<Order> CreateAsync(IOrderStore store, string externalId)
    {
        var order = TestOrders.Create(OrderIds.For(OrderSources.Shopify, externalId)) with { Source = OrderSources.Shopify, ExternalId = externalId };
        await store.CreateAsync(order, At);
        return order;
    }

    private static string FulfillmentOrders(string externalId) => """
        {"data":{"order":{"id":"gid://shopify/Order/ID","fulfillments":[],
          "fulfillmentOrders":{"nodes":[{"id":"gid://shopify/FulfillmentOrder/9","status":"OPEN","lineItems":{"nodes":[
            {"id":"gid://shopify/FulfillmentOrderLineItem/91","remainingQuantity":2,"lineItem":{"sku":"SKU-MUG"}},
            {"id":"gid://shopify/FulfillmentOrderLineItem/92","remainingQuantity":1,"lineItem":{"sku":"SKU-TEE"}}]}}]}}}}
        """.Replace("ID", externalId, StringComparison.Ordinal);

    private ServiceProvider Build()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Shopify:ShopDomain"] = "orderflow-test.myshopify.com",
            ["Channels:Shopify:AccessToken"] = Token,
            ["Channels:Shopify:Locations"] = "WH-EAST=gid://shopify/Location/64213452",
        };
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(storage.Tables);
        services.AddSingleton<TableOrderStore>();
        services.AddSingleton(Mock.Of<IApproverAlert>());
        services.AddSingleton<IExceptionQueue, TableExceptionQueue>();

        services.AddOrderFlowWriteBack();
        services.AddOrderFlowChannels(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddHttpClient(ShopifyAdminClient.HttpClientName).ConfigureHttpClient(c => c.BaseAddress = new Uri(server.Url! + "/"));
        return services.BuildServiceProvider();
    }
}
