using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using OrderFlow.EndToEnd.Tests.Infrastructure;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// Per-client limits on the routes anyone can call, on a host with RateLimiting limits of 3 a minute. The two clients
/// are two loopback source addresses (127.0.0.1 and 127.0.0.2), so the host sees two different callers.
/// </summary>
public sealed class RateLimitTests(RateLimitedHostFixture host, ITestOutputHelper output) : IClassFixture<RateLimitedHostFixture>
{
    [Fact]
    public Task Webhook_OneClientSendsLimitPlusOne_LastGets429WithRetryAfterWhileAnotherClientIsServed() => host.RunAsync(output, async () =>
    {
        using var first = ClientFrom("127.0.0.1");
        using var second = ClientFrom("127.0.0.2");
        for (var i = 0; i < RateLimitedHostFixture.PermitLimit; i++)
        {
            using var allowed = await PostUnsignedWebhookAsync(first);
            Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
        }

        using var refused = await PostUnsignedWebhookAsync(first);
        using var served = await PostUnsignedWebhookAsync(second);

        await AssertTooManyRequestsAsync(refused, "RateLimiting:WebhookPermitLimit");
        Assert.Equal(HttpStatusCode.Unauthorized, served.StatusCode);
    });

    [Fact]
    public Task ApprovalPage_OneClientGuessesLimitPlusOneTokens_LastGets429WhileAnotherClientIsServed() => host.RunAsync(output, async () =>
    {
        // Its own source address: the webhook test's counts never reach this test.
        using var guesser = ClientFrom("127.0.0.3");
        using var approver = ClientFrom("127.0.0.4");
        for (var i = 0; i < RateLimitedHostFixture.PermitLimit; i++)
        {
            using var page = await guesser.GetAsync($"/api/approvals/guess-{i}");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, page.StatusCode);
        }

        using var refused = await guesser.GetAsync("/api/approvals/guess-last");
        using var served = await approver.GetAsync("/api/approvals/guess-other");

        await AssertTooManyRequestsAsync(refused, "RateLimiting:ApprovalPermitLimit");
        Assert.NotEqual(HttpStatusCode.TooManyRequests, served.StatusCode);
    });

    private static async Task AssertTooManyRequestsAsync(HttpResponseMessage response, string key)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(key, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostUnsignedWebhookAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify/orders-create")
        {
            Content = new StringContent("{\"id\":1}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(OrderFlowApi.ShopifyWebhookIdHeader, Guid.NewGuid().ToString());
        request.Headers.Add(OrderFlowApi.ShopifyHmacHeader, "bm90LWEtc2lnbmF0dXJl");
        return await client.SendAsync(request);
    }

    private HttpClient ClientFrom(string sourceAddress) => LoopbackClient.From(host.Host.BaseAddress, sourceAddress);
}
