using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>Stripe API answers (API version 2025-08-27.basil JSON) on a WireMock server that plays api.stripe.com for a host.</summary>
public static class StripeApiStubs
{
    public static string IntentPath(string intentId) => $"/v1/payment_intents/{intentId}";

    /// <summary>
    /// GET /v1/payment_intents/{id} answers with the intent in <paramref name="status"/>, latest_charge expanded:
    /// requires_capture is an authorization (capture_method manual), succeeded was paid up front (automatic).
    /// </summary>
    public static void StubIntent(WireMockServer stripe, string intentId, string status, long amount, string currency = "usd") =>
        stripe.Given(Request.Create().WithPath(IntentPath(intentId)).UsingGet())
            .RespondWith(Json(200, Intent(intentId, status, amount, status == "succeeded" ? amount : 0, currency, status == "requires_capture" ? "manual" : "automatic")));

    /// <summary>POST /v1/refunds for this intent answers with a succeeded refund of the requested amount.</summary>
    public static void StubRefund(WireMockServer stripe, string intentId, long amount, string currency = "usd") =>
        stripe.Given(Request.Create().WithPath("/v1/refunds").UsingPost().WithBody(b => b is not null && Uri.UnescapeDataString(b).Contains($"payment_intent={intentId}", StringComparison.Ordinal)))
            .RespondWith(Json(200, $$"""
                {"id":"re_{{intentId[3..]}}","object":"refund","amount":{{amount}},"balance_transaction":"txn_{{intentId[3..]}}","charge":"ch_{{intentId[3..]}}",
                 "created":1795262400,"currency":"{{currency}}","failure_reason":null,"metadata":{},"payment_intent":"{{intentId}}",
                 "reason":"requested_by_customer","receipt_number":null,"source_transfer_reversal":null,"status":"succeeded","transfer_reversal":null}
                """));

    public static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithHeader("Request-Id", $"req_{Guid.NewGuid():N}").WithBody(body);

    /// <summary>A payment_intent object as the API returns it, with latest_charge expanded (Radar outcome included).</summary>
    public static string Intent(string intentId, string status, long amount, long received, string currency, string captureMethod) => $$"""
        {"id":"{{intentId}}","object":"payment_intent","amount":{{amount}},"amount_capturable":{{(status == "requires_capture" ? amount : 0)}},
         "amount_received":{{received}},"capture_method":"{{captureMethod}}","currency":"{{currency}}","livemode":false,"last_payment_error":null,
         "latest_charge":{"id":"ch_{{intentId[3..]}}","object":"charge","amount":{{amount}},"currency":"{{currency}}",
          "outcome":{"network_status":"approved_by_network","risk_level":"normal","risk_score":12,"seller_message":"Payment complete.","type":"authorized"} },
         "status":"{{status}}","created":1795262400}
        """;
}
