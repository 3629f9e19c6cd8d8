using System.Net;
using OrderFlow.EndToEnd.Tests.Infrastructure;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>POST /api/fulfillments/{fulfillmentId}/events: what the host refuses from a location.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class FulfillmentCallbackTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task FulfillmentEvents_BadSignature_Returns401BeforeLookingUpTheOrder() => host.RunAsync(output, async () =>
    {
        var fulfillmentId = $"shopify-{Random.Shared.NextInt64(1_000_000, 9_999_999)}-F1";

        using var wrongSecret = await host.Api.PostFulfillmentEventAsync(fulfillmentId, "shipped", signature: Convert.ToBase64String(new byte[32]));
        using var notBase64 = await host.Api.PostFulfillmentEventAsync(fulfillmentId, "shipped", signature: "not a signature");

        foreach (var response in new[] { wrongSecret, notBase64 })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var problem = await OrderFlowApi.ReadProblemAsync(response);
            Assert.Contains(OrderFlowApi.FulfillmentSignatureHeader, problem.Detail, StringComparison.Ordinal);
        }
    });

    [Fact]
    public Task FulfillmentEvents_SignedEventForUnknownOrder_Returns404NamingTheOrder() => host.RunAsync(output, async () =>
    {
        var orderId = $"shopify-{Random.Shared.NextInt64(1_000_000, 9_999_999)}";

        using var response = await host.Api.PostFulfillmentEventAsync($"{orderId}-F1", "shipped");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await OrderFlowApi.ReadProblemAsync(response);
        Assert.Contains($"'{orderId}'", problem.Detail, StringComparison.Ordinal);
    });

    [Fact]
    public Task FulfillmentEvents_FulfillmentTheOrderDoesNotHave_Returns404AndTheOrderStillShips() => host.RunAsync(output, async () =>
    {
        // SKUs of this test only, both at one location: a single fulfillment F1.
        var api = host.Api;
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 3 });
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 3 });
        var order = TestOrder.Create(TestOrder.WithSkus(mug, tee));
        using (var accepted = await api.PostShopifyOrderAsync(order, $"callback-{order.ShopifyId}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        var awaiting = await api.WaitForOrderAsync(order.OrderId, o => o.Fulfillments.Any(f => f.Status == "awaiting-confirmation"), "F1 awaiting confirmation");
        Assert.Equal(order.FulfillmentId(1), Assert.Single(awaiting.Fulfillments).FulfillmentId);

        using var unknown = await api.PostFulfillmentEventAsync(order.FulfillmentId(2), "shipped");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains($"'{order.FulfillmentId(2)}'", (await OrderFlowApi.ReadProblemAsync(unknown)).Detail, StringComparison.Ordinal);
        await host.Warehouse.ShipAsync(api, order.OrderId, Stock.East);
        var done = await api.WaitForCompletionAsync(order.OrderId, "Fulfilled");
        Assert.Equal(order.FulfillmentId(1), Assert.Single(done.Fulfillments).FulfillmentId);
    });
}
