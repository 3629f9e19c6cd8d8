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

    [Fact]
    public Task FulfillmentEvents_ShippedSignedForAnotherOrdersFulfillment_Returns401AndThatOrderDoesNotAdvance() => host.RunAsync(output, async () =>
    {
        // Two orders of this test's own SKUs, one fulfillment each, both awaiting the location's word.
        var api = host.Api;
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 4 });
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 2 });
        var (shipped, target) = (TestOrder.Create(TestOrder.WithSkus(mug, tee)), TestOrder.Create(TestOrder.WithSkus(mug, tee)));
        foreach (var order in new[] { shipped, target })
        {
            using var accepted = await api.PostShopifyOrderAsync(order, $"replay-{order.ShopifyId}");
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            await api.WaitForOrderAsync(order.OrderId, o => o.Fulfillments.Any(f => f.Status == "awaiting-confirmation"), "F1 awaiting confirmation");
        }

        // The location's genuine "shipped" for the first order, signed for its F1 ...
        var (path, body) = OrderFlowApi.FulfillmentEvent(shipped.FulfillmentId(1), "shipped");
        var signature = Signatures.SignCallback(path, body, host.FulfillmentSecret);
        using (var genuine = await api.PostCallbackAsync(path, body, signature))
        {
            Assert.Equal(HttpStatusCode.Accepted, genuine.StatusCode);
        }

        // ... replayed byte for byte, same header, to the other order's F1.
        var (targetPath, _) = OrderFlowApi.FulfillmentEvent(target.FulfillmentId(1), "shipped");
        using var replay = await api.PostCallbackAsync(targetPath, body, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Contains(OrderFlowApi.FulfillmentSignatureHeader, (await OrderFlowApi.ReadProblemAsync(replay)).Detail, StringComparison.Ordinal);
        await api.WaitForCompletionAsync(shipped.OrderId, "Fulfilled");
        var untouched = await api.GetOrderAsync(target.OrderId);
        Assert.NotEqual("Fulfilled", untouched!.Status);
        Assert.Equal("awaiting-confirmation", Assert.Single(untouched.Fulfillments).Status);
        Assert.Equal("Running", untouched.Workflow?.RuntimeStatus);
    });
}
