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
                ("GET /api/orders/{orderId}", "GetOrder"),
                ("PUT /api/inventory/{sku}", "PutInventory"),
                ("GET /api/inventory/{sku}", "GetInventory"),
                ("POST /api/fulfillments/{fulfillmentId}/events", "PostFulfillmentEvent"),
            });
        Assert.DoesNotContain(operations, o => o.Route.EndsWith("/healthz", StringComparison.Ordinal));
    });
}
