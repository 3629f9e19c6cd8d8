using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Stripe;
using OrderFlow.Workflows.Contracts;
using Stripe;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.Stripe;

/// <summary>The Stripe gateway against a WireMock stub answering with Stripe's documented JSON shapes.</summary>
public sealed class StripePaymentGatewayTests : IDisposable
{
    private const string IntentPath = "/v1/payment_intents/pi_3QfR2sLkdIwHu7ix";
    private const string CapturePath = IntentPath + "/capture";
    private static readonly Money Expected = new(5451, "USD");

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly StripePaymentGateway gateway;

    public StripePaymentGatewayTests()
    {
        // No Stripe.net retries here, so each stubbed answer is seen exactly once.
        var options = new StripeOptions { ApiKey = "sk_test_123", ApiBase = server.Url!, MaxNetworkRetries = 0 };
        var client = StripeServiceCollectionExtensions.CreateClient(options, new HttpClient());
        gateway = new StripePaymentGateway(
            new PaymentIntentService(client),
            new RefundService(client),
            NullLogger<StripePaymentGateway>.Instance);
    }

    public void Dispose() => server.Stop();

    [Fact]
    public async Task VerifyAsync_Succeeded_ReturnsSucceededWithAmountAndRadarRisk()
    {
        StubIntent(200, Intent("succeeded", 5451, 5451, "usd", "elevated"));

        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected));

        Assert.Equal(PaymentState.Succeeded, result.State);
        Assert.Equal(Expected, result.Amount);
        Assert.Equal("elevated", result.RiskLevel);
        Assert.Null(result.FailureReason);
        Assert.True(result.Verified);
        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal("GET", request.Method);
        Assert.Contains("latest_charge", Uri.UnescapeDataString(request.Url), StringComparison.Ordinal);
        Assert.Equal("Bearer sk_test_123", request.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task VerifyAsync_RequiresCapture_ReturnsRequiresCaptureForTheAuthorizedAmount()
    {
        StubIntent(200, Intent("requires_capture", 5451, 0, "usd", "normal"));

        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected));

        Assert.Equal(PaymentState.RequiresCapture, result.State);
        Assert.Equal(Expected, result.Amount);
        Assert.True(result.Verified);
    }

    [Theory]
    [InlineData("available", true)]
    [InlineData("unavailable", false)]
    public async Task VerifyAsync_RequiresCapture_CarriesTheChargesMulticaptureStatus(string status, bool expected)
    {
        StubIntent(200, Intent("requires_capture", 5451, 0, "usd", "normal", multicapture: status));

        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected));

        Assert.Equal(PaymentState.RequiresCapture, result.State);
        Assert.Equal(expected, result.Multicapture);
        Assert.Equal(!expected, result.CapturesOnce);
    }

    [Fact]
    public async Task VerifyAsync_RequiresCaptureWithoutMulticaptureRequested_CapturesOnce()
    {
        // request_multicapture was not set: the charge carries no multicapture object, and the first capture is final.
        StubIntent(200, Intent("requires_capture", 5451, 0, "usd", "normal"));

        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected));

        Assert.Equal(false, result.Multicapture);
        Assert.True(result.Verified);
    }

    [Fact]
    public async Task VerifyAsync_Succeeded_SaysNothingAboutMulticapture()
    {
        StubIntent(200, Intent("succeeded", 5451, 5451, "usd", "normal", multicapture: "unavailable"));

        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected));

        Assert.Null(result.Multicapture);
        Assert.False(result.CapturesOnce);
    }

    [Fact]
    public async Task CaptureAsync_WholeOrderWithoutMulticapture_SendsFinalCaptureAndTheIntentSucceeds()
    {
        StubCapture(200, Intent("succeeded", 5451, 5451, "usd", "normal", multicapture: "unavailable"));

        var result = await gateway.CaptureAsync(new CapturePaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected, true, "shopify-1001:capture-F1", "note"));

        Assert.True(result.Captured);
        var form = Uri.UnescapeDataString(Assert.Single(server.LogEntries).RequestMessage.Body!);
        Assert.Contains("amount_to_capture=5451", form, StringComparison.Ordinal);
        Assert.Contains("final_capture=true", form, StringComparison.Ordinal);
        Assert.DoesNotContain("note", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureAsync_AfterTheFinalCapture_IsRefusedWithStripesCode()
    {
        // The intent already succeeded (a first capture without multicapture finalised it).
        StubCapture(400, """{"error":{"type":"invalid_request_error","code":"payment_intent_unexpected_state","message":"This PaymentIntent could not be captured because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.","payment_intent":{"id":"pi_3QfR2sLkdIwHu7ix","object":"payment_intent","status":"succeeded"}}}""");

        var result = await gateway.CaptureAsync(new CapturePaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", new Money(2000, "USD"), true, "shopify-1001:capture-F2"));

        Assert.False(result.Captured);
        Assert.Equal("payment_intent_unexpected_state", result.FailureReason);
    }

    [Theory]
    [InlineData(5000, "usd", "amount mismatch: expected 54.51 USD, got 50.00 USD")]
    [InlineData(5451, "eur", "amount mismatch: expected 54.51 USD, got 54.51 EUR")]
    public async Task VerifyAsync_AmountOrCurrencyDiffers_FailsWithMismatch(long amount, string currency, string reason)
    {
        StubIntent(200, Intent("succeeded", amount, amount, currency, "normal"));

        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected));

        Assert.Equal(PaymentState.Failed, result.State);
        Assert.Equal(reason, result.FailureReason);
        Assert.False(result.Verified);
    }

    [Fact]
    public async Task VerifyAsync_RequiresPaymentMethodAfterDecline_FailsWithStatusAndCode()
    {
        StubIntent(200, Intent("requires_payment_method", 5451, 0, "usd", null, """{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds"}"""));

        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected));

        Assert.Equal(PaymentState.Failed, result.State);
        Assert.Equal("status requires_payment_method: card_declined", result.FailureReason);
    }

    [Fact]
    public async Task VerifyAsync_UnknownIntent_FailsWithResourceMissing()
    {
        StubIntent(404, """{"error":{"type":"invalid_request_error","code":"resource_missing","param":"intent","message":"No such payment_intent: 'pi_3QfR2sLkdIwHu7ix'"}}""");

        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected));

        Assert.Equal(PaymentState.Failed, result.State);
        Assert.Equal("resource_missing", result.FailureReason);
    }

    [Theory]
    [InlineData(429, """{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests hit the API too quickly."}}""")]
    [InlineData(500, """{"error":{"type":"api_error","message":"Something went wrong on Stripe's end."}}""")]
    [InlineData(503, """{"error":{"type":"api_error","message":"Service unavailable."}}""")]
    public async Task VerifyAsync_RateLimitedOrServerError_Throws(int status, string body)
    {
        StubIntent(status, body);

        var ex = await Assert.ThrowsAsync<StripeException>(() => gateway.VerifyAsync(new VerifyPaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected)));

        Assert.True(StripePaymentGateway.IsTransient(ex));
    }

    [Fact]
    public async Task VerifyAsync_NetworkFailure_Throws()
    {
        server.Stop();

        await Assert.ThrowsAnyAsync<Exception>(() => gateway.VerifyAsync(new VerifyPaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected)));
    }

    [Fact]
    public async Task VerifyAsync_NoReference_FailsWithoutCallingStripe()
    {
        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("o1", null, Expected));

        Assert.Equal("missing_payment_reference", result.FailureReason);
        Assert.Empty(server.LogEntries);
    }

    [Fact]
    public async Task CaptureAsync_Authorized_SendsAmountFinalCaptureAndIdempotencyKey()
    {
        StubCapture(200, Intent("succeeded", 5451, 3000, "usd", "normal"));

        var result = await gateway.CaptureAsync(new CapturePaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", new Money(3000, "USD"), false, "shopify-1001:capture:F1"));

        Assert.True(result.Captured);
        Assert.Equal(new Money(3000, "USD"), result.Amount);
        Assert.Equal("ch_3QfR2sLkdIwHu7ix0", result.ProviderReference);
        var request = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal("POST", request.Method);
        Assert.Equal("shopify-1001:capture:F1", request.Headers!["Idempotency-Key"].Single());
        var form = Uri.UnescapeDataString(request.Body!);
        Assert.Contains("amount_to_capture=3000", form, StringComparison.Ordinal);
        Assert.Contains("final_capture=false", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureAsync_SameKeyTwice_SendsSameKeyAndReturnsReplayedResult()
    {
        // Stripe replays the first response for a reused key (header Idempotent-Replayed: true).
        server.Given(Request.Create().WithPath(CapturePath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithHeader("Idempotent-Replayed", "true").WithBody(Intent("succeeded", 5451, 5451, "usd", "normal")));
        var request = new CapturePaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected, true, "shopify-1001:capture:F1");

        var first = await gateway.CaptureAsync(request);
        var second = await gateway.CaptureAsync(request);

        Assert.Equal(first, second);
        Assert.Equal(2, server.LogEntries.Count());
        Assert.All(server.LogEntries, e => Assert.Equal("shopify-1001:capture:F1", e.RequestMessage.Headers!["Idempotency-Key"].Single()));
    }

    [Fact]
    public async Task CaptureAsync_KeyLongerThan255_SendsStableShortenedKey()
    {
        StubCapture(200, Intent("succeeded", 5451, 5451, "usd", "normal"));
        var longKey = new string('k', 300);

        await gateway.CaptureAsync(new CapturePaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected, true, longKey));
        await gateway.CaptureAsync(new CapturePaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected, true, longKey));

        var sent = server.LogEntries.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).ToList();
        Assert.All(sent, k => Assert.True(k.Length <= 255));
        Assert.Equal(sent[0], sent[1]);
        Assert.NotEqual(StripeIdempotencyKey.For(new string('k', 299) + "j"), sent[0]);
    }

    [Fact]
    public async Task CaptureAsync_CardDeclined_ReturnsNotCapturedWithCode()
    {
        StubCapture(402, """{"error":{"type":"card_error","code":"card_declined","decline_code":"generic_decline","message":"Your card was declined."}}""");

        var result = await gateway.CaptureAsync(new CapturePaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected, true, "k1"));

        Assert.False(result.Captured);
        Assert.Equal("card_declined: generic_decline", result.FailureReason);
    }

    [Fact]
    public async Task CaptureAsync_RateLimited_Throws()
    {
        StubCapture(429, """{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests."}}""");

        await Assert.ThrowsAsync<StripeException>(() => gateway.CaptureAsync(new CapturePaymentRequest("o1", "pi_3QfR2sLkdIwHu7ix", Expected, true, "k1")));
    }

    [Theory]
    [InlineData("orderflow_order_id", "shopify-1002")]
    [InlineData("order_id", "1002")]
    [InlineData("order_id", "woocommerce-1002")]
    public async Task VerifyAsync_MetadataNamesAnotherOrder_FailsNamingIt(string key, string value)
    {
        StubIntent(200, Intent("succeeded", 5451, 5451, "usd", "normal", metadata: $$"""{"{{key}}":"{{value}}"}"""));

        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("shopify-1001", "pi_3QfR2sLkdIwHu7ix", Expected));

        Assert.Equal(PaymentState.Failed, result.State);
        Assert.Equal($"payment metadata {key} names order {value}, not shopify-1001", result.FailureReason);
        Assert.False(result.Verified);
    }

    [Theory]
    [InlineData("""{"orderflow_order_id":"shopify-1001"}""")]
    [InlineData("""{"order_id":"1001"}""")]
    [InlineData("""{"order_id":"shopify-1001","customer_ref":"x"}""")]
    [InlineData("""{}""")]
    public async Task VerifyAsync_MetadataNamesThisOrderOrNone_Verifies(string metadata)
    {
        StubIntent(200, Intent("succeeded", 5451, 5451, "usd", "normal", metadata: metadata));

        var result = await gateway.VerifyAsync(new VerifyPaymentRequest("shopify-1001", "pi_3QfR2sLkdIwHu7ix", Expected));

        Assert.True(result.Verified, result.FailureReason);
    }

    private void StubIntent(int status, string body) =>
        server.Given(Request.Create().WithPath(IntentPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    private void StubCapture(int status, string body) =>
        server.Given(Request.Create().WithPath(CapturePath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    /// <summary>A payment_intent object as the API returns it, with latest_charge expanded.</summary>
    /// <remarks>
    /// <paramref name="multicapture"/> set: the intent asked for it (<c>payment_method_options.card.request_multicapture
    /// = if_available</c>) and the charge's <c>payment_method_details.card.multicapture.status</c> says whether it is available.
    /// </remarks>
    private static string Intent(string status, long amount, long received, string currency, string? risk, string? lastError = null, string metadata = "{}", string? multicapture = null)
    {
        var card = $$"""{"brand":"visa","country":"US","exp_month":12,"exp_year":2030,"funding":"credit","last4":"4242","network":"visa"{{(multicapture is null ? "" : $$""","multicapture":{"status":"{{multicapture}}"}""")}}}""";
        var charge = risk is null
            ? "null"
            : $$"""{"id":"ch_3QfR2sLkdIwHu7ix0","object":"charge","amount":{{amount}},"amount_captured":{{received}},"captured":{{(received > 0 ? "true" : "false")}},"currency":"{{currency}}","outcome":{"network_status":"approved_by_network","risk_level":"{{risk}}","risk_score":32,"type":"authorized"},"payment_method_details":{"card":{{card}},"type":"card"} }""";
        var options = multicapture is null ? "{}" : """{"card":{"request_multicapture":"if_available"}}""";
        return $$"""
            {"id":"pi_3QfR2sLkdIwHu7ix","object":"payment_intent","amount":{{amount}},"amount_capturable":{{(status == "requires_capture" ? amount : 0)}},
             "amount_received":{{received}},"capture_method":"manual","currency":"{{currency}}","livemode":false,
             "last_payment_error":{{lastError ?? "null"}},"latest_charge":{{charge}},"metadata":{{metadata}},"payment_method_options":{{options}},"status":"{{status}}","created":1735689600}
            """;
    }
}
