using System.Net;
using System.Text.Json;
using OrderFlow.EndToEnd.Tests.Infrastructure;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>The OpenAPI document the host serves describes the public contract.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class OpenApiTests(OrderFlowHostFixture host, ITestOutputHelper output)
{
    [Fact]
    public Task OpenApiDocument_Get_ListsTheFivePublicRoutes() => host.RunAsync(output, async () =>
    {
        using var response = await host.Api.Http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (
                Route: $"{op.Name.ToUpperInvariant()} {path.Name}",
                OperationId: op.Value.TryGetProperty("operationId", out var id) ? id.GetString() : null)))
            .ToList();
        Assert.Subset(
            operations.ToHashSet(),
            new HashSet<(string, string?)>
            {
                ("POST /api/webhooks/shopify/orders-create", "ShopifyOrdersCreate"),
                ("POST /api/webhooks/shopify/orders-cancelled", "ShopifyOrdersCancelled"),
                ("POST /api/orders/{orderId}/cancel", "CancelOrder"),
                ("POST /api/webhooks/woocommerce/orders", "WooCommerceOrders"),
                ("GET /api/orders/{orderId}", "GetOrder"),
                ("GET /api/orders/{orderId}/status", "GetOrderStatusPage"),
                ("PUT /api/inventory/{sku}", "PutInventory"),
                ("GET /api/inventory/{sku}", "GetInventory"),
                ("POST /api/fulfillments/{fulfillmentId}/events", "PostFulfillmentEvent"),
                ("POST /api/orders/{orderId}/returns", "RequestReturn"),
                ("POST /api/returns/{returnId}/received", "PostReturnReceived"),
                ("GET /api/returns/{returnId}", "GetReturn"),
                ("GET /api/catalog.csv", "ExportCatalogCsv"),
                ("POST /api/catalog/import", "ImportCatalogCsv"),
            });
        Assert.DoesNotContain(operations, o => o.Route.EndsWith("/healthz", StringComparison.Ordinal));
    });

    [Fact]
    public Task OpenApiDocument_OperatorRoutes_DeclareTheOperatorKeyHeader() => host.RunAsync(output, async () =>
    {
        using var response = await host.Api.Http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("OperatorKey");
        Assert.Equal(("apiKey", "header", "X-Operator-Key"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
        var paths = document.RootElement.GetProperty("paths");
        foreach (var (path, verb) in new[] { ("/api/inventory/{sku}", "put"), ("/api/inventory/{sku}", "get"), ("/api/cases", "get"), ("/api/orders/{orderId}/cancel", "post"), ("/api/orders/{orderId}", "get"), ("/api/orders/{orderId}/returns", "post"), ("/api/returns/{returnId}", "get"), ("/api/catalog.csv", "get"), ("/api/catalog/import", "post") })
        {
            var operation = paths.GetProperty(path).GetProperty(verb);
            Assert.True(operation.TryGetProperty("security", out var security), $"{verb} {path} declares no security");
            Assert.Contains(security.EnumerateArray(), r => r.TryGetProperty("OperatorKey", out _));
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{verb} {path} declares no 401");
        }

        Assert.False(paths.GetProperty("/api/webhooks/shopify/orders-create").GetProperty("post").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/api/orders/{orderId}/status").GetProperty("get").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/api/webhooks/shopify/orders-cancelled").GetProperty("post").TryGetProperty("security", out _));
    });
}
