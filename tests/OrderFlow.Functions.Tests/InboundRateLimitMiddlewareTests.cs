using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using OrderFlow.Api.Options;
using OrderFlow.Functions.RateLimiting;
using OrderFlow.Functions.Triggers;

namespace OrderFlow.Functions.Tests;

/// <summary>The worker middleware applies the host's per-client limits to the same functions.</summary>
public sealed class InboundRateLimitMiddlewareTests
{
    [Fact]
    public void PolicyOfFunction_EqualsTheHostEndpointsRateLimitPolicies()
    {
        var host = FunctionsApp.ApiEndpoints()
            .Where(e => e.RateLimitPolicy is not null)
            .ToDictionary(e => e.Name, e => e.RateLimitPolicy!, StringComparer.Ordinal);

        Assert.Equal(host.OrderBy(p => p.Key, StringComparer.Ordinal), InboundRateLimitMiddleware.PolicyOfFunction.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Contains(nameof(CaseHttpTriggers.PostApprovalPage), host.Keys);
    }

    [Fact]
    public async Task Invoke_OneClientOverTheLimit_Gets429WithRetryAfterWhileAnotherIsServed()
    {
        using var middleware = new InboundRateLimitMiddleware(Microsoft.Extensions.Options.Options.Create(
            new RateLimitingOptions { WebhookPermitLimit = 2, Window = TimeSpan.FromMinutes(1) }));
        var served = 0;
        FunctionExecutionDelegate next = _ => { served++; return Task.CompletedTask; };

        for (var i = 0; i < 2; i++)
        {
            await middleware.Invoke(Context(nameof(HttpTriggers.ShopifyOrdersCreate), "203.0.113.7", out _), next);
        }

        await middleware.Invoke(Context(nameof(HttpTriggers.ShopifyOrdersCreate), "203.0.113.7", out var refused), next);
        await middleware.Invoke(Context(nameof(HttpTriggers.ShopifyOrdersCreate), "198.51.100.9", out var other), next);

        Assert.Equal(3, served);
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Response.StatusCode);
        Assert.InRange(int.Parse(refused.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.StartsWith("application/problem+json", refused.Response.ContentType, StringComparison.Ordinal);
        refused.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(refused.Response.Body);
        Assert.Contains("RateLimiting:WebhookPermitLimit", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status200OK, other.Response.StatusCode);
    }

    [Fact]
    public async Task Invoke_UnlimitedFunction_IsNeverCounted()
    {
        using var middleware = new InboundRateLimitMiddleware(Microsoft.Extensions.Options.Options.Create(
            new RateLimitingOptions { WebhookPermitLimit = 1, ApprovalPermitLimit = 1 }));
        var served = 0;

        for (var i = 0; i < 3; i++)
        {
            await middleware.Invoke(Context(nameof(HttpTriggers.GetOrder), "203.0.113.7", out _), _ => { served++; return Task.CompletedTask; });
        }

        Assert.Equal(3, served);
    }

    [Theory]
    [InlineData("10.0.0.1, 203.0.113.7:51234", "203.0.113.7")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    public void ClientOf_LoopbackConnection_TakesTheLastForwardedAddress(string forwardedFor, string expected)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Loopback;
        http.Request.Headers["X-Forwarded-For"] = forwardedFor;

        Assert.Equal(expected, InboundRateLimitMiddleware.ClientOf(http));
    }

    [Fact]
    public void ClientOf_DirectConnection_IgnoresForwardedFor()
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.9");
        http.Request.Headers["X-Forwarded-For"] = "203.0.113.7";

        Assert.Equal("198.51.100.9", InboundRateLimitMiddleware.ClientOf(http));
    }

    /// <summary>A function invocation whose HTTP request reaches the worker from the Functions host, forwarded for <paramref name="client"/>.</summary>
    private static FunctionContext Context(string functionName, string client, out HttpContext http)
    {
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        http = new DefaultHttpContext { RequestServices = services };
        http.Connection.RemoteIpAddress = IPAddress.Loopback;
        http.Request.Headers["X-Forwarded-For"] = client;
        http.Response.Body = new MemoryStream();
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns(functionName);
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        context.SetupGet(c => c.InstanceServices).Returns(services);
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object> { ["HttpRequestContext"] = http });
        return context.Object;
    }
}
