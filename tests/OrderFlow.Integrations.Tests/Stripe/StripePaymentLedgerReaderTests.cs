using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Stripe;
using Stripe;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.Stripe;

/// <summary>Reconciliation's Stripe reader against a WireMock stub answering with Stripe's documented payment_intent and charge JSON.</summary>
public sealed class StripePaymentLedgerReaderTests : IDisposable
{
    private const string IntentId = "pi_3QfR2sLkdIwHu7ix";
    private const string IntentPath = "/v1/payment_intents/" + IntentId;

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly StripePaymentLedgerReader reader;

    public StripePaymentLedgerReaderTests()
    {
        var options = new StripeOptions { ApiKey = "sk_test_123", ApiBase = server.Url!, MaxNetworkRetries = 0 };
        reader = new StripePaymentLedgerReader(
            new PaymentIntentService(StripeServiceCollectionExtensions.CreateClient(options, new HttpClient())),
            NullLogger<StripePaymentLedgerReader>.Instance);
    }

    public void Dispose() => server.Stop();

    [Fact]
    public async Task GetPaymentFactsAsync_CapturedThenPartlyRefunded_ReadsTheLatestChargesCumulativeAmounts()
    {
        Stub(200, Intent("succeeded", 5451, Charge(captured: true, amountCaptured: 5451, amountRefunded: 1250, currency: "usd")));

        var facts = await reader.GetPaymentFactsAsync(IntentId);

        Assert.NotNull(facts);
        Assert.Equal(new Money(5451, "USD"), facts.Captured);
        Assert.Equal(new Money(1250, "USD"), facts.Refunded);
        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal("GET", request.Method);
        Assert.Contains("expand[0]=latest_charge", Uri.UnescapeDataString(request.Url), StringComparison.Ordinal);
        Assert.Equal("Bearer sk_test_123", request.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task GetPaymentFactsAsync_PartialCaptureOfAuthorization_ReadsAmountCapturedNotTheAuthorizedAmount()
    {
        Stub(200, Intent("succeeded", 5451, Charge(captured: true, amountCaptured: 3000, amountRefunded: 0, currency: "usd")));

        var facts = await reader.GetPaymentFactsAsync(IntentId);

        Assert.Equal(new Money(3000, "USD"), facts!.Captured);
        Assert.Equal(new Money(0, "USD"), facts.Refunded);
    }

    [Fact]
    public async Task GetPaymentFactsAsync_AuthorizedNotCaptured_IsZeroCaptured()
    {
        Stub(200, Intent("requires_capture", 5451, Charge(captured: false, amountCaptured: 0, amountRefunded: 0, currency: "usd")));

        var facts = await reader.GetPaymentFactsAsync(IntentId);

        Assert.Equal(new Money(0, "USD"), facts!.Captured);
    }

    [Fact]
    public async Task GetPaymentFactsAsync_NoChargeYet_IsZeroInTheIntentsCurrency()
    {
        Stub(200, Intent("requires_payment_method", 700, "null", currency: "jpy"));

        var facts = await reader.GetPaymentFactsAsync(IntentId);

        Assert.Equal(new Money(0, "JPY"), facts!.Captured);
        Assert.Equal(new Money(0, "JPY"), facts.Refunded);
    }

    [Fact]
    public async Task GetPaymentFactsAsync_UnknownIntent_IsNull()
    {
        Stub(404, """{"error":{"type":"invalid_request_error","code":"resource_missing","param":"intent","message":"No such payment_intent: 'pi_3QfR2sLkdIwHu7ix'"}}""");

        Assert.Null(await reader.GetPaymentFactsAsync(IntentId));
    }

    [Theory]
    [InlineData(429, """{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests hit the API too quickly."}}""")]
    [InlineData(500, """{"error":{"type":"api_error","message":"Something went wrong on Stripe's end."}}""")]
    public async Task GetPaymentFactsAsync_RateLimitedOrServerError_Throws(int status, string body)
    {
        Stub(status, body);

        var ex = await Assert.ThrowsAsync<StripeException>(() => reader.GetPaymentFactsAsync(IntentId));

        Assert.True(StripePaymentGateway.IsTransient(ex));
    }

    [Fact]
    public async Task GetPaymentFactsAsync_AuthenticationFailed_Throws()
    {
        Stub(401, """{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_***123"}}""");

        await Assert.ThrowsAsync<StripeException>(() => reader.GetPaymentFactsAsync(IntentId));
    }

    private void Stub(int status, string body) =>
        server.Given(Request.Create().WithPath(IntentPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    /// <summary>A charge object as the API returns it inside an expanded latest_charge.</summary>
    private static string Charge(bool captured, long amountCaptured, long amountRefunded, string currency) =>
        $$"""
        {"id":"ch_3QfR2sLkdIwHu7ix0","object":"charge","amount":5451,"amount_captured":{{amountCaptured}},"amount_refunded":{{amountRefunded}},
         "captured":{{(captured ? "true" : "false")}},"currency":"{{currency}}","paid":true,"payment_intent":"pi_3QfR2sLkdIwHu7ix",
         "refunded":{{(amountRefunded > 0 && amountRefunded == amountCaptured ? "true" : "false")}},"status":"succeeded","livemode":false,"created":1735689600}
        """;

    private static string Intent(string status, long amount, string latestCharge, string currency = "usd") =>
        $$"""
        {"id":"pi_3QfR2sLkdIwHu7ix","object":"payment_intent","amount":{{amount}},"amount_received":0,"capture_method":"manual",
         "currency":"{{currency}}","livemode":false,"latest_charge":{{latestCharge}},"status":"{{status}}","created":1735689600}
        """;
}
