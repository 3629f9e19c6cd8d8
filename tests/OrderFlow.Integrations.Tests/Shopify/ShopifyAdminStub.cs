using System.Text.Json;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.Shopify;

/// <summary>Matching and reading GraphQL Admin API calls on a WireMock server that plays Shopify (API 2026-04, a test token).</summary>
internal static class ShopifyAdminStub
{
    public const string Token = "shpat_test_token_0123456789";
    public const string GraphQlPath = "/admin/api/2026-04/graphql.json";

    /// <summary>A GraphQL POST with the token whose body matches <paramref name="bodyPattern"/> (wildcards).</summary>
    public static IRequestBuilder Post(string bodyPattern) =>
        Request.Create().WithPath(GraphQlPath).UsingPost().WithHeader("X-Shopify-Access-Token", Token).WithBody(new WildcardMatcher(bodyPattern));

    public static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(body);

    /// <summary>The calls whose body contains <paramref name="text"/> (an operation or mutation name).</summary>
    public static List<WireMock.Logging.ILogEntry> Requests(WireMockServer server, string text) =>
        server.LogEntries.Where(e => e.RequestMessage.Body?.Contains(text, StringComparison.Ordinal) == true).ToList();

    public static JsonElement Variables(WireMock.Logging.ILogEntry entry)
    {
        using var body = JsonDocument.Parse(entry.RequestMessage.Body!);
        return body.RootElement.GetProperty("variables").Clone();
    }
}
