using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.Server;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A second host process with the Stripe payment adapter (Adapters__Payment=Stripe) talking to a WireMock server in place
/// of api.stripe.com, and its own task hub, table prefix and webhook secret. One per test class; every test stubs its own
/// PaymentIntent id, so stubs and recorded requests of different tests never mix.
/// </summary>
public sealed class StripeHostFixture : OrderFlowHostFixture
{
    public const string ApiKey = "sk_test_e2e_0123456789abcdef";
    public const string SignatureHeader = "Stripe-Signature";

    public StripeHostFixture()
    {
        WebhookSecret = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    }

    /// <summary>Stripe's API as far as these tests need it: GET/capture of payment intents and POST /v1/refunds.</summary>
    public WireMockServer Stripe { get; } = WireMockServer.Start();

    public string WebhookSecret { get; }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            Stripe.Stop();
            Stripe.Dispose();
        }
    }

    /// <summary>GET /v1/payment_intents/{id} answers with the intent in <paramref name="status"/> (<see cref="StripeApiStubs.StubIntent"/>).</summary>
    public void StubIntent(string intentId, string status, long amount, string currency = "usd") => StripeApiStubs.StubIntent(Stripe, intentId, status, amount, currency);

    /// <summary>
    /// POST /v1/payment_intents/{id}/capture: the first attempt fails with Stripe's 500 api_error (Stripe-Should-Retry: true),
    /// every later one captures; so a retry of the same capture is provoked and its key can be compared.
    /// </summary>
    public void StubCaptureFailingOnce(string intentId, long amount, string currency = "usd")
    {
        var scenario = $"capture-{intentId}";
        Stripe.Given(Request.Create().WithPath(StripeApiStubs.IntentPath(intentId) + "/capture").UsingPost())
            .InScenario(scenario)
            .WillSetStateTo("failed once")
            .RespondWith(StripeApiStubs.Json(500, """{"error":{"type":"api_error","message":"Something went wrong on Stripe's end."}}""").WithHeader("Stripe-Should-Retry", "true"));
        Stripe.Given(Request.Create().WithPath(StripeApiStubs.IntentPath(intentId) + "/capture").UsingPost())
            .InScenario(scenario)
            .WhenStateIs("failed once")
            .RespondWith(StripeApiStubs.Json(200, StripeApiStubs.Intent(intentId, "succeeded", amount, amount, currency, "manual")));
    }

    /// <summary>POST /v1/refunds for this intent answers with a succeeded refund (<see cref="StripeApiStubs.StubRefund"/>).</summary>
    public void StubRefund(string intentId, long amount, string currency = "usd") => StripeApiStubs.StubRefund(Stripe, intentId, amount, currency);

    /// <summary>Capture requests for this intent that reached the Stripe stub, oldest first.</summary>
    public IReadOnlyList<ILogEntry> CaptureRequests(string intentId) =>
        Requests(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path == StripeApiStubs.IntentPath(intentId) + "/capture");

    /// <summary>POST /v1/refunds requests for this intent that reached the Stripe stub, oldest first.</summary>
    public IReadOnlyList<ILogEntry> RefundRequests(string intentId) =>
        Requests(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path == "/v1/refunds"
            && Form(e).TryGetValue("payment_intent", out var pi) && pi == intentId);

    /// <summary>The form fields of a request Stripe.net sent (application/x-www-form-urlencoded).</summary>
    public static IReadOnlyDictionary<string, string> Form(ILogEntry entry) =>
        (entry.RequestMessage.Body ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => Uri.UnescapeDataString(kv[0]), kv => kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : "", StringComparer.Ordinal);

    public static string IdempotencyKeyOf(ILogEntry entry) =>
        entry.RequestMessage.Headers is { } headers && headers.TryGetValue("Idempotency-Key", out var values) ? values.Single() : "";

    /// <summary>
    /// Posts an event to /api/webhooks/stripe signed as Stripe signs it: Stripe-Signature "t={unix time},v1={hex
    /// HMAC-SHA256 of "{t}.{payload}" keyed by the endpoint's signing secret}" (computed here, independently of the host).
    /// </summary>
    public async Task<HttpResponseMessage> PostStripeEventAsync(string payload)
    {
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var v1 = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), Encoding.UTF8.GetBytes($"{t}.{payload}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/stripe")
        {
            Content = new StringContent(payload, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add(SignatureHeader, $"t={t},v1={v1}");
        return await Api.Http.SendAsync(request);
    }

    /// <summary>A payment_intent.payment_failed event as Stripe delivers it (API version 2025-08-27.basil).</summary>
    public static string PaymentFailedEvent(string eventId, string intentId, long amount, string currency = "usd") => $$"""
        {"id":"{{eventId}}","object":"event","api_version":"2025-08-27.basil","created":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},"livemode":false,"pending_webhooks":1,
         "request":{"id":null,"idempotency_key":null},"type":"payment_intent.payment_failed",
         "data":{"object":{"id":"{{intentId}}","object":"payment_intent","amount":{{amount}},"amount_capturable":0,"amount_received":0,"capture_method":"manual",
          "currency":"{{currency}}","livemode":false,"status":"requires_payment_method","latest_charge":"ch_{{intentId[3..]}}",
          "last_payment_error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds."} } } }
        """;

    protected override void AddSettings(IDictionary<string, string> environment)
    {
        environment["Adapters__Payment"] = "Stripe";
        environment["Stripe__ApiKey"] = ApiKey;
        environment["Stripe__ApiBase"] = Stripe.Url!;
        environment["Stripe__WebhookSecret"] = WebhookSecret;
        environment["Stripe__MaxNetworkRetries"] = "2";
    }

    private List<ILogEntry> Requests(Func<ILogEntry, bool> match) =>
        Stripe.LogEntries.Where(match).OrderBy(e => e.RequestMessage.DateTime).ToList();
}
