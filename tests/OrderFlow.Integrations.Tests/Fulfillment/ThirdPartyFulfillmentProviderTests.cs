using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Security;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace OrderFlow.Integrations.Tests.Fulfillment;

/// <summary>
/// The 3PL hand-off, built by its DI registration (so the real resilience pipeline runs), against a WireMock 3PL
/// endpoint; the order store is a mock holding one labelled fulfillment.
/// </summary>
public sealed class ThirdPartyFulfillmentProviderTests : IDisposable
{
    private const string Location = "3PL-EU";
    private const string Path = "/v1/fulfillment-orders";
    private const string Secret = "acme-3pl-signing-secret-0123";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly FulfillmentPartnerTestData data = new(Location);
    private readonly TaskCompletionSource<string> hung = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        hung.TrySetResult("LATE");
        server.Stop();
    }

    [Fact]
    public async Task DispatchAsync_Accepted_PostsSignedFulfillmentWithIdempotencyKeyAndReturnsThe3plReference()
    {
        Stub(Response.Create().WithStatusCode(202).WithHeader("Content-Type", "application/json").WithBody("""{"reference":"ACME-778","status":"received"}"""));
        using var provider = Build();

        var reference = await Provider(provider).DispatchAsync(data.Dispatch);

        Assert.Equal("ACME-778", reference);
        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal(data.Dispatch.IdempotencyKey, request.Headers![ThirdPartyFulfillmentProvider.IdempotencyKeyHeader].Single());
        Assert.True(HmacSignature.Verify(request.BodyAsBytes, request.Headers[ThirdPartyFulfillmentProvider.SignatureHeader].Single(), Secret));
        Assert.StartsWith("application/json", request.Headers["Content-Type"].Single(), StringComparison.Ordinal);

        var body = JsonDocument.Parse(request.Body!).RootElement;
        Assert.Equal(
            (data.Order.OrderId, data.FulfillmentId, Location, data.Dispatch.IdempotencyKey, data.CallbackUrl),
            (S(body, "orderId"), S(body, "fulfillmentId"), S(body, "location"), S(body, "idempotencyKey"), S(body, "callbackUrl")));
        Assert.Equal(
            ["SKU-MUG x2", "SKU-TEE x1"],
            body.GetProperty("lines").EnumerateArray().Select(l => $"{S(l, "sku")} x{l.GetProperty("quantity").GetInt32()}"));
        var shipTo = body.GetProperty("shipTo");
        Assert.Equal(("Jane Doe", "350 Fifth Avenue", "10118", "US"), (S(shipTo, "name"), S(shipTo, "line1"), S(shipTo, "postalCode"), S(shipTo, "countryCode")));
        var label = body.GetProperty("label");
        Assert.Equal(("USPS", data.Dispatch.TrackingNumber, FulfillmentPartnerTestData.LabelUrl), (S(label, "carrier"), S(label, "trackingNumber"), S(label, "labelUrl")));
    }

    [Fact]
    public async Task DispatchAsync_RateLimitedThenCreated_RetriesTheSameSignedRequestOnce()
    {
        server.Given(Request.Create().WithPath(Path).UsingPost()).InScenario("rate-limit").WillSetStateTo("limited-once")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0").WithBody("""{"error":"too many requests"}"""));
        server.Given(Request.Create().WithPath(Path).UsingPost()).InScenario("rate-limit").WhenStateIs("limited-once")
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"id":"ACME-779"}"""));
        using var provider = Build();

        var reference = await Provider(provider).DispatchAsync(data.Dispatch);

        Assert.Equal("ACME-779", reference);
        var requests = server.LogEntries.Select(e => e.RequestMessage).ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(data.Dispatch.IdempotencyKey, r.Headers![ThirdPartyFulfillmentProvider.IdempotencyKeyHeader].Single()));
        Assert.Equal(requests[0].Body, requests[1].Body);
    }

    [Fact]
    public async Task DispatchAsync_BadRequest_ThrowsNonTransientNamingThe3plReasonWithoutRetrying()
    {
        Stub(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json").WithBody("""{"error":"unknown sku SKU-TEE"}"""));
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<ThirdPartyFulfillmentException>(() => Provider(provider).DispatchAsync(data.Dispatch));

        Assert.Equal((400, false), (ex.StatusCode, ex.IsTransient));
        Assert.Contains("unknown sku SKU-TEE", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Location, ex.Message, StringComparison.Ordinal);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task DispatchAsync_ServerErrorOnEveryAttempt_ThrowsTransientAfterTheRetries()
    {
        Stub(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "0"));
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<ThirdPartyFulfillmentException>(() => Provider(provider).DispatchAsync(data.Dispatch));

        Assert.Equal((503, true), (ex.StatusCode, ex.IsTransient));
        Assert.Equal(4, server.LogEntries.Count());
    }

    [Fact]
    public async Task DispatchAsync_FirstAttemptHangsPastTheLocationTimeout_IsAbandonedAndRetried()
    {
        var attempts = 0;
        server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create().WithCallback(async _ =>
        {
            // The first attempt hangs until the test ends: only the location's 500 ms timeout can end it.
            var reference = Interlocked.Increment(ref attempts) == 1 ? await hung.Task : "ACME-780";
            return new ResponseMessage
            {
                StatusCode = 202,
                Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
                BodyData = new BodyData { BodyAsString = $$"""{"reference":"{{reference}}"}""", DetectedBodyType = BodyType.String },
            };
        }));
        using var provider = Build(timeout: "00:00:00.500");

        var reference = await Provider(provider).DispatchAsync(data.Dispatch);

        Assert.Equal("ACME-780", reference);
        Assert.Equal(2, Volatile.Read(ref attempts));
    }

    [Fact]
    public async Task DispatchAsync_LocationWithoutEndpoint_ThrowsNamingTheLocationAndSendsNothing()
    {
        using var provider = Build();
        var elsewhere = data.Dispatch with { Location = "3PL-US" };

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Provider(provider).DispatchAsync(elsewhere));

        Assert.Contains("'3PL-US'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    private void Stub(IResponseBuilder response) => server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(response);

    private ServiceProvider Build(string timeout = "00:00:10")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FulfillmentPartners:SigningSecret"] = "default-signing-secret-not-this-one",
            ["FulfillmentPartners:Locations:0:Location"] = Location,
            ["FulfillmentPartners:Locations:0:EndpointUrl"] = server.Url + Path,
            ["FulfillmentPartners:Locations:0:Secret"] = Secret,
            ["FulfillmentPartners:Locations:0:Timeout"] = timeout,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(data.Orders.Object);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(TestApprovals.Options()));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new RoutingOptions()));
        services.AddOrderFlowFulfillment(configuration);
        return services.BuildServiceProvider();
    }

    private static ThirdPartyFulfillmentProvider Provider(ServiceProvider provider) => provider.GetRequiredService<ThirdPartyFulfillmentProvider>();

    private static string? S(JsonElement element, string name) => element.GetProperty(name).GetString();
}
