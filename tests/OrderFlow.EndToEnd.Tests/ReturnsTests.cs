using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrderFlow.EndToEnd.Tests.Infrastructure;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>A return through the host's HTTP routes after the order shipped: policy refusal, signed receipt, restock and refund.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class ReturnsTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task Return_ShippedMugReceivedResellable_RestocksAndRefunds() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 3 });
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 3 });
        var order = TestOrder.Create(TestOrder.WithSkus(mug, tee));
        using (var accepted = await api.PostShopifyOrderAsync(order, $"return-{order.ShopifyId}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        await api.WaitForOrderAsync(order.OrderId, o => o.Fulfillments.Any(f => f.Status == "awaiting-confirmation"), "F1 awaiting confirmation");
        await host.Warehouse.ShipAsync(api, order.OrderId, Stock.East);
        await api.WaitForCompletionAsync(order.OrderId, "Fulfilled");
        var returnsPath = $"/api/orders/{order.OrderId}/returns";

        using var noKey = await api.SendAsOperatorAsync(HttpMethod.Post, returnsPath, Body(new { lines = new[] { new { sku = mug, quantity = 1 } }, reason = "chipped" }), key: "");
        using var tooMany = await api.SendAsOperatorAsync(HttpMethod.Post, returnsPath, Body(new { lines = new[] { new { sku = mug, quantity = 3 } }, reason = "chipped" }));
        using var accepted2 = await api.SendAsOperatorAsync(HttpMethod.Post, returnsPath, Body(new { lines = new[] { new { sku = mug, quantity = 1 } }, reason = "chipped" }));

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.StatusCode);
        Assert.Contains($"{mug}: 3 requested, 2 shipped and not yet returned.", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, accepted2.StatusCode);
        var returnId = (await accepted2.Content.ReadFromJsonAsync<JsonElement>(OrderFlowApi.Json)).GetProperty("returnId").GetString()!;
        Assert.Equal($"return-{order.OrderId}-1", returnId);

        await ReturnAsync(api, returnId, "Authorized");
        var receipt = new { location = Stock.East, units = new[] { new { sku = mug, condition = "Resellable" } } };
        using var forged = await api.PostReturnReceivedAsync(returnId, receipt, signature: Convert.ToBase64String(new byte[32]));
        using var received = await api.PostReturnReceivedAsync(returnId, receipt);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, received.StatusCode);

        var refunded = await ReturnAsync(api, returnId, "Refunded");
        using var again = await api.PostReturnReceivedAsync(returnId, receipt);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var refund = refunded.GetProperty("refund");
        Assert.Equal(1250, refund.GetProperty("items").GetProperty("minorUnits").GetInt64());
        Assert.True(refund.GetProperty("tax").GetProperty("minorUnits").GetInt64() > 0);
        Assert.Equal(
            refund.GetProperty("items").GetProperty("minorUnits").GetInt64() + refund.GetProperty("tax").GetProperty("minorUnits").GetInt64(),
            refund.GetProperty("total").GetProperty("minorUnits").GetInt64());
        Assert.Equal(2, (await api.GetStockAsync(mug)).Locations[Stock.East].OnHand);
    });

    private static StringContent Body(object value) => new(JsonSerializer.Serialize(value, OrderFlowApi.Json), System.Text.Encoding.UTF8, "application/json");

    private static Task<JsonElement> ReturnAsync(OrderFlowApi api, string returnId, string status) => Poll.UntilAsync(
        async () =>
        {
            using var response = await api.SendAsOperatorAsync(HttpMethod.Get, $"/api/returns/{Uri.EscapeDataString(returnId)}");
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>(OrderFlowApi.Json) : default;
        },
        r => r.ValueKind == JsonValueKind.Object && r.GetProperty("status").GetString() == status,
        $"return {returnId} is {status}");
}
