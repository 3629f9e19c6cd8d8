using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OrderFlow.EndToEnd.Tests.Infrastructure;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>POST /api/webhooks/woocommerce/orders on the real host: the webhook's ping, then a signed order that runs to the end.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class WooCommerceIntakeTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    private const string Route = "/api/webhooks/woocommerce/orders";

    [Fact]
    public Task Ping_UnsignedFormBody_Answers200() => host.RunAsync(output, async () =>
    {
        using var content = new StringContent("webhook_id=42", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await host.Api.Http.PostAsync(Route, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    });

    [Fact]
    public Task OrderCreated_SignedSample_AcceptedOnceResentAsDuplicateAndFulfilled() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 5 });
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 5 });
        var wooId = Random.Shared.NextInt64(1_000_000, long.MaxValue);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "woocommerce-order.json")))!.AsObject();
        json["id"] = wooId;
        json["line_items"]![0]!["sku"] = mug;
        json["line_items"]![1]!["sku"] = tee;
        json["meta_data"] = new JsonArray();
        json["transaction_id"] = $"pi_e2e_{wooId}";
        var body = Encoding.UTF8.GetBytes(json.ToJsonString());
        var orderId = $"woocommerce-{wooId}";

        using var first = await PostAsync(body, $"delivery-{wooId}-1");

        // WooCommerce resends under a new delivery id: the order id still recognises it.
        using var resent = await PostAsync(body, $"delivery-{wooId}-2");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(orderId, (await OrderFlowApi.ReadIntakeAsync(first)).OrderId);
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        Assert.Equal("duplicate", (await OrderFlowApi.ReadIntakeAsync(resent)).Status);

        await host.Warehouse.ShipAsync(api, orderId, Stock.East);
        var done = await api.WaitForCompletionAsync(orderId, "Fulfilled");

        Assert.Equal("4821", done.OrderNumber);
        Assert.Equal(5551, done.Total!.MinorUnits);
        Assert.Equal(3, (await api.GetStockAsync(mug)).OnHand);
        Assert.Equal(4, (await api.GetStockAsync(tee)).OnHand);
    });

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string deliveryId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-WC-Webhook-Signature", Signatures.Sign(body, host.WooCommerceSecret));
        request.Headers.Add("X-WC-Webhook-Topic", "order.created");
        request.Headers.Add("X-WC-Webhook-ID", "42");
        request.Headers.Add("X-WC-Webhook-Delivery-ID", deliveryId);
        request.Headers.Add("X-WC-Webhook-Source", "https://shop.example.com/");
        return await host.Api.Http.SendAsync(request);
    }
}
