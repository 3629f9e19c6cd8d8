using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Stripe;
using OrderFlow.Workflows.Contracts;
using Stripe;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.Stripe;

/// <summary>
/// <see cref="StripePaymentGateway.RefundAsync"/> against a WireMock stub with Stripe's documented shapes: read the
/// PaymentIntent, then void it (POST /v1/payment_intents/{id}/cancel) while uncaptured or create a Refund
/// (POST /v1/refunds) once captured, under the step's Idempotency-Key.
/// </summary>
public sealed class StripeRefundTests : IDisposable
{
    private const string IntentId = "pi_3QfR2sLkdIwHu7ix";
    private const string IntentPath = "/v1/payment_intents/" + IntentId;
    private const string CancelPath = IntentPath + "/cancel";
    private const string RefundsPath = "/v1/refunds";
    private const string Key = "return-shop-1001-1:refund";
    private static readonly Money Amount = new(2700, "USD");

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly StripePaymentGateway gateway;

    public StripeRefundTests()
    {
        // No Stripe.net retries here, so each stubbed answer is seen exactly once.
        var options = new StripeOptions { ApiKey = "sk_test_123", ApiBase = server.Url!, MaxNetworkRetries = 0 };
        var client = StripeServiceCollectionExtensions.CreateClient(options, new HttpClient());
        gateway = new StripePaymentGateway(new PaymentIntentService(client), new RefundService(client), NullLogger<StripePaymentGateway>.Instance);
    }

    public void Dispose() => server.Stop();

    [Fact]
    public async Task RefundAsync_CapturedIntent_CreatesARefundForTheAmountUnderTheKey()
    {
        Stub(IntentPath, "GET", 200, Intent("succeeded"));
        Stub(RefundsPath, "POST", 200, Refund("succeeded", 2700));

        var result = await gateway.RefundAsync(Request());

        Assert.Equal(new RefundResult(true, Amount, "re_3QfS9aLkdIwHu7ix1", null), result);
        var post = Assert.Single(server.LogEntries, e => e.RequestMessage.Method == "POST").RequestMessage;
        Assert.Equal(RefundsPath, post.Path);
        Assert.Equal(Key, post.Headers!["Idempotency-Key"].Single());
        var form = Uri.UnescapeDataString(post.Body!);
        Assert.Contains($"payment_intent={IntentId}", form, StringComparison.Ordinal);
        Assert.Contains("amount=2700", form, StringComparison.Ordinal);
        Assert.Contains("reason=requested_by_customer", form, StringComparison.Ordinal);
        Assert.Contains("metadata[order_id]=shop-1001", form, StringComparison.Ordinal);
        Assert.DoesNotContain(server.LogEntries, e => e.RequestMessage.Path == CancelPath);
    }

    [Fact]
    public async Task RefundAsync_PendingRefund_CountsAsRefunded()
    {
        Stub(IntentPath, "GET", 200, Intent("succeeded"));
        Stub(RefundsPath, "POST", 200, Refund("pending", 2700));

        var result = await gateway.RefundAsync(Request());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task RefundAsync_SameRequestTwice_SendsTheSameIdempotencyKey()
    {
        Stub(IntentPath, "GET", 200, Intent("succeeded"));
        server.Given(global::WireMock.RequestBuilders.Request.Create().WithPath(RefundsPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithHeader("Idempotent-Replayed", "true").WithBody(Refund("succeeded", 2700)));

        var first = await gateway.RefundAsync(Request());
        var second = await gateway.RefundAsync(Request());

        Assert.Equal(first, second);
        var keys = server.LogEntries.Where(e => e.RequestMessage.Method == "POST").Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).ToList();
        Assert.Equal([Key, Key], keys);
    }

    [Fact]
    public async Task RefundAsync_UncapturedIntent_VoidsItInsteadOfRefunding()
    {
        Stub(IntentPath, "GET", 200, Intent("requires_capture"));
        Stub(CancelPath, "POST", 200, Intent("canceled"));

        var result = await gateway.RefundAsync(Request());

        Assert.Equal(new RefundResult(true, Amount, IntentId, null, Voided: true), result);
        var post = Assert.Single(server.LogEntries, e => e.RequestMessage.Method == "POST").RequestMessage;
        Assert.Equal(CancelPath, post.Path);
        Assert.Equal(Key, post.Headers!["Idempotency-Key"].Single());
        Assert.Contains("cancellation_reason=requested_by_customer", Uri.UnescapeDataString(post.Body!), StringComparison.Ordinal);
        Assert.DoesNotContain(server.LogEntries, e => e.RequestMessage.Path == RefundsPath);
    }

    [Theory]
    [InlineData("requires_capture")] // multicapture: a parcel captured, the rest of the authorization still open
    [InlineData("canceled")] // multicapture: a parcel captured, the rest released
    public async Task RefundAsync_PartlyCapturedMulticaptureIntent_RefundsTheCapturedMoneyInsteadOfVoiding(string status)
    {
        Stub(IntentPath, "GET", 200, Intent(status, received: 2700));
        Stub(RefundsPath, "POST", 200, Refund("succeeded", 2700));

        var result = await gateway.RefundAsync(Request());

        Assert.Equal(new RefundResult(true, Amount, "re_3QfS9aLkdIwHu7ix1", null), result);
        var post = Assert.Single(server.LogEntries, e => e.RequestMessage.Method == "POST").RequestMessage;
        Assert.Equal(RefundsPath, post.Path);
        Assert.Equal(Key, post.Headers!["Idempotency-Key"].Single());
        Assert.DoesNotContain(server.LogEntries, e => e.RequestMessage.Path == CancelPath);
    }

    [Fact]
    public async Task RefundAsync_IntentAlreadyCanceled_ReportsTheVoidWithoutAnotherRequest()
    {
        // A retried step whose void landed but whose answer was lost: the intent is canceled now. A refund under the
        // same key would be refused by Stripe (a key is bound to its first request), and nothing was captured anyway.
        Stub(IntentPath, "GET", 200, Intent("canceled"));

        var result = await gateway.RefundAsync(Request());

        Assert.Equal(new RefundResult(true, Amount, IntentId, null, Voided: true), result);
        Assert.DoesNotContain(server.LogEntries, e => e.RequestMessage.Method == "POST");
    }

    [Theory]
    [InlineData(400, """{"error":{"type":"invalid_request_error","code":"charge_already_refunded","message":"Charge ch_3QfR2sLkdIwHu7ix0 has already been refunded."}}""", "charge_already_refunded")]
    [InlineData(402, """{"error":{"type":"card_error","code":"card_declined","decline_code":"expired_card","message":"Your card has expired."}}""", "card_declined: expired_card")]
    public async Task RefundAsync_StripeRefuses_ReturnsNotRefundedWithTheCode(int status, string body, string code)
    {
        Stub(IntentPath, "GET", 200, Intent("succeeded"));
        Stub(RefundsPath, "POST", status, body);

        var result = await gateway.RefundAsync(Request());

        Assert.Equal(new RefundResult(false, Amount, null, code), result);
    }

    [Fact]
    public async Task RefundAsync_RefundFailed_ReturnsNotRefundedWithStripesFailureReason()
    {
        Stub(IntentPath, "GET", 200, Intent("succeeded"));
        Stub(RefundsPath, "POST", 200, Refund("failed", 2700, "expired_or_canceled_card"));

        var result = await gateway.RefundAsync(Request());

        Assert.False(result.Succeeded);
        Assert.Equal("expired_or_canceled_card", result.FailureReason);
    }

    [Fact]
    public async Task RefundAsync_RateLimited_ThrowsForTheDurableRetry()
    {
        Stub(IntentPath, "GET", 200, Intent("succeeded"));
        Stub(RefundsPath, "POST", 429, """{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests hit the API too quickly."}}""");

        var ex = await Assert.ThrowsAsync<StripeException>(() => gateway.RefundAsync(Request()));

        Assert.True(StripePaymentGateway.IsTransient(ex));
    }

    private static RefundPaymentRequest Request() => new("shop-1001", IntentId, Amount, "return shop-1001-1", Key);

    private void Stub(string path, string method, int status, string body) =>
        server.Given(global::WireMock.RequestBuilders.Request.Create().WithPath(path).UsingMethod(method))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    /// <summary>A payment_intent object as the API returns it.</summary>
    private static string Intent(string status, long? received = null) => $$"""
        {"id":"{{IntentId}}","object":"payment_intent","amount":5451,"amount_capturable":{{(status == "requires_capture" ? 5451 - (received ?? 0) : 0)}},
         "amount_received":{{received ?? (status == "succeeded" ? 5451 : 0)}},"capture_method":"manual","currency":"usd","livemode":false,
         "cancellation_reason":{{(status == "canceled" ? "\"requested_by_customer\"" : "null")}},"latest_charge":"ch_3QfR2sLkdIwHu7ix0","status":"{{status}}","created":1735689600}
        """;

    /// <summary>A refund object as POST /v1/refunds returns it.</summary>
    private static string Refund(string status, long amount, string? failure = null) => $$"""
        {"id":"re_3QfS9aLkdIwHu7ix1","object":"refund","amount":{{amount}},"balance_transaction":"txn_3QfS9aLkdIwHu7ix1","charge":"ch_3QfR2sLkdIwHu7ix0",
         "created":1735776000,"currency":"usd","failure_reason":{{(failure is null ? "null" : $"\"{failure}\"")}},"metadata":{"order_id":"shop-1001","reason":"return shop-1001-1"},
         "payment_intent":"{{IntentId}}","reason":"requested_by_customer","receipt_number":null,"source_transfer_reversal":null,"status":"{{status}}","transfer_reversal":null}
        """;
}
