using System.Net;
using System.Net.Http.Json;
using OrderFlow.EndToEnd.Tests.Infrastructure;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>Stock and order reads/writes are operator routes: X-Operator-Key or 401 problem+json, nothing changed.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class OperatorRoutesTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task PutInventory_WithoutOrWithWrongOperatorKey_401AndStockUnchanged() => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var mug = Stock.NewSku("MUG");
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 3 });
        var path = $"/api/inventory/{Uri.EscapeDataString(mug)}";

        foreach (var key in new[] { "", "wrong-operator-key-0123456789abcdef0123", OrderFlowHostFixture.OperatorKey + "x" })
        {
            using var refused = await api.SendAsOperatorAsync(
                HttpMethod.Put, path, JsonContent.Create(new { title = "Mug", locations = new Dictionary<string, int> { [Stock.East] = 999 } }), key);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            var problem = await OrderFlowApi.ReadProblemAsync(refused);
            Assert.Contains(OrderFlowApi.OperatorKeyHeader, problem.Detail, StringComparison.Ordinal);
        }

        var stock = await api.GetStockAsync(mug);
        Assert.Equal((3, 0, 3), (stock.OnHand, stock.Reserved, stock.Available));

        using var accepted = await api.SendAsOperatorAsync(
            HttpMethod.Put, path, JsonContent.Create(new { title = "Mug", locations = new Dictionary<string, int> { [Stock.East] = 7 } }));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(7, (await api.GetStockAsync(mug)).OnHand);
    });

    [Theory]
    [InlineData("/api/inventory/{0}")]
    public Task Reads_WithoutOrWithWrongOperatorKey_401(string route) => host.RunAsync(output, async () =>
    {
        var api = host.Api;
        var mug = Stock.NewSku("MUG");
        await api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 1 });
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, route, Uri.EscapeDataString(mug));

        foreach (var key in new[] { "", "wrong-operator-key-0123456789abcdef0123" })
        {
            using var refused = await api.SendAsOperatorAsync(HttpMethod.Get, path, key: key);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains(OrderFlowApi.OperatorKeyHeader, (await OrderFlowApi.ReadProblemAsync(refused)).Detail, StringComparison.Ordinal);
        }

        using var allowed = await api.SendAsOperatorAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    });
}
