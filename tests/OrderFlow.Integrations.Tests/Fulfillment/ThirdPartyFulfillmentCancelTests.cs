using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Security;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.Fulfillment;

/// <summary>
/// The 3PL cancellation, built by its DI registration (the real resilience pipeline), against a WireMock 3PL that
/// answers as docs/fulfillment.md's contract says: 200 cancelled, 200 shipped or 409 (already left), 202 (confirms later).
/// </summary>
public sealed class ThirdPartyFulfillmentCancelTests : IDisposable
{
    private const string Location = "3PL-EU";
    private const string Secret = "acme-3pl-signing-secret-0123";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly FulfillmentPartnerTestData data = new(Location);

    public void Dispose() => server.Stop();

    private string CancelPath => $"/v1/fulfillment-orders/{data.FulfillmentId}/cancel";

    private FulfillmentCancellation Cancellation => new(
        data.Order.OrderId, data.FulfillmentId, Location, data.Dispatch.Lines, data.Dispatch.TrackingNumber, "order-cancelled",
        $"{data.Order.OrderId}:cancel-{data.FulfillmentId}");

    [Fact]
    public async Task CancelAsync_3plStopsIt_PostsSignedCancellationWithIdempotencyKeyOnceAndAnswersCancelled()
    {
        Stub(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"status":"cancelled"}"""));
        using var provider = Build();

        var answer = await Provider(provider).CancelAsync(Cancellation);

        Assert.Equal(LocationCancelAnswer.Cancelled, answer.Outcome);
        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal(CancelPath, request.Path);
        Assert.Equal(Cancellation.IdempotencyKey, request.Headers![ThirdPartyFulfillmentProvider.IdempotencyKeyHeader].Single());
        Assert.True(HmacSignature.Verify(request.BodyAsBytes, request.Headers[ThirdPartyFulfillmentProvider.SignatureHeader].Single(), Secret));
        var body = JsonDocument.Parse(request.Body!).RootElement;
        Assert.Equal(
            (data.Order.OrderId, data.FulfillmentId, Cancellation.IdempotencyKey, "order-cancelled", data.CallbackUrl),
            (S(body, "orderId"), S(body, "fulfillmentId"), S(body, "idempotencyKey"), S(body, "reason"), S(body, "callbackUrl")));
        Assert.False(body.TryGetProperty("shipTo", out _));
        Assert.DoesNotContain("Jane Doe", request.Body!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200, """{"status":"shipped","trackingNumber":"1Z999"}""", "1Z999")]
    [InlineData(409, """{"error":"already shipped","trackingNumber":"1Z998"}""", "1Z998")]
    public async Task CancelAsync_ParcelAlreadyLeft_AnswersAlreadyShippedWithTheTracking(int status, string json, string tracking)
    {
        Stub(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(json));
        using var provider = Build();

        var answer = await Provider(provider).CancelAsync(Cancellation);

        Assert.Equal((LocationCancelAnswer.AlreadyShipped, tracking), (answer.Outcome, answer.TrackingNumber));
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task CancelAsync_Accepted202_AnswersPending()
    {
        Stub(Response.Create().WithStatusCode(202));
        using var provider = Build();

        var answer = await Provider(provider).CancelAsync(Cancellation);

        Assert.Equal(LocationCancelAnswer.Pending, answer.Outcome);
    }

    [Fact]
    public async Task CancelAsync_Refused400_ThrowsNotTransientWithoutRetrying()
    {
        Stub(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json").WithBody("""{"error":"unknown fulfillment"}"""));
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<ThirdPartyFulfillmentException>(() => Provider(provider).CancelAsync(Cancellation));

        Assert.False(ex.IsTransient);
        Assert.Contains("unknown fulfillment", ex.Message, StringComparison.Ordinal);
        Assert.Single(server.LogEntries);
    }

    [Fact]
    public async Task CancelAsync_NoCancelUrl_ThrowsNamingTheLocation()
    {
        using var provider = Build(cancelUrl: null);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Provider(provider).CancelAsync(Cancellation));

        Assert.Contains("CancelUrl", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    private void Stub(IResponseBuilder response) => server.Given(Request.Create().WithPath(CancelPath).UsingPost()).RespondWith(response);

    private ServiceProvider Build(string? cancelUrl = "/v1/fulfillment-orders/{fulfillmentId}/cancel")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FulfillmentPartners:SigningSecret"] = "default-signing-secret-not-this-one",
            ["FulfillmentPartners:Locations:0:Location"] = Location,
            ["FulfillmentPartners:Locations:0:EndpointUrl"] = server.Url + "/v1/fulfillment-orders",
            ["FulfillmentPartners:Locations:0:CancelUrl"] = cancelUrl is null ? null : server.Url + cancelUrl,
            ["FulfillmentPartners:Locations:0:Secret"] = Secret,
            ["FulfillmentPartners:Locations:0:Timeout"] = "00:00:10",
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
