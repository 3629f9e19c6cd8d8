using System.Net;
using System.Net.Http.Json;
using OrderFlow.EndToEnd.Tests.Contracts;
using OrderFlow.EndToEnd.Tests.Infrastructure;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// POST /api/inventory/{sku}/movements on the real host: receipts and write-offs as deltas that keep reservations, one
/// application per Idempotency-Key, refusals that change nothing, and a receipt that fills a waiting backorder.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class StockMovementTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task Movements_ReceiptWhileAnOrderHoldsStock_AddedToOnHandOnceAndTheReservationKept() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 5 });
        await api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 5 });
        var order = TestOrder.Create(TestOrder.WithSkus(mug, tee));
        using (var intake = await api.PostShopifyOrderAsync(order, $"moves-{order.ShopifyId}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, intake.StatusCode);
        }

        var held = await Poll.UntilAsync(() => api.GetStockAsync(mug), s => s.Reserved > 0, "the order's reservation of the mug");
        var key = Guid.NewGuid().ToString("N");

        var received = await PostAsync(mug, key, new { location = Stock.East, quantity = 12, reason = "received", reference = "PO-1042" });
        var again = await PostAsync(mug, key, new { location = Stock.East, quantity = 12, reason = "received", reference = "PO-1042" });

        Assert.Equal(HttpStatusCode.OK, received.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        var stock = await api.GetStockAsync(mug);
        Assert.Equal(held.OnHand + 12, stock.OnHand);
        Assert.Equal(held.Reserved, stock.Reserved);
        Assert.NotNull(stock.ReservationOf(order.OrderId));
    });

    [Fact]
    public Task Movements_RefusedOnes_ChangeNothing() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var sku = Stock.NewSku("MUG");
        await api.PutStockAsync(sku, "Mug", new Dictionary<string, int> { [Stock.East] = 3 });
        var key = Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(sku, key, new { location = Stock.East, quantity = -1, reason = "damaged" })).Status);

        var reusedKey = await PostAsync(sku, key, new { location = Stock.East, quantity = -2, reason = "damaged" });
        var tooMany = await PostAsync(sku, Guid.NewGuid().ToString("N"), new { location = Stock.East, quantity = -5, reason = "lost" });
        var wrongSign = await PostAsync(sku, Guid.NewGuid().ToString("N"), new { location = Stock.East, quantity = -5, reason = "received" });
        var noKey = await PostAsync(sku, null, new { location = Stock.East, quantity = 1, reason = "received" });
        var unknownSku = await PostAsync(Stock.NewSku("GHOST"), Guid.NewGuid().ToString("N"), new { location = Stock.East, quantity = 1, reason = "received" });
        using var anonymous = await api.SendAsOperatorAsync(
            HttpMethod.Post, $"/api/inventory/{sku}/movements", JsonContent.Create(new { location = Stock.East, quantity = 1, reason = "received" }), key: string.Empty);

        Assert.Equal(HttpStatusCode.Conflict, reusedKey.Status);
        Assert.Equal(HttpStatusCode.Conflict, tooMany.Status);
        Assert.Contains("larger than the units on hand", tooMany.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongSign.Status);
        Assert.Contains("quantity must be positive", wrongSign.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noKey.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknownSku.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(2, (await api.GetStockAsync(sku)).OnHand);
    });

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string sku, string? idempotencyKey, object movement)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inventory/{Uri.EscapeDataString(sku)}/movements")
        {
            Content = JsonContent.Create(movement),
        };
        request.Headers.Add(OrderFlowApi.OperatorKeyHeader, OrderFlowHostFixture.OperatorKey);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await host.Api.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
