using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Payments;
using OrderFlow.Integrations.Shopify;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Integrations.Tests.Shopify;

/// <summary>
/// Shopify-held payments moved through a WireMock Admin API that answers as Shopify documents it: the order's
/// transactions (kind, status, gateway, multiCapturable, parentTransaction, amountSet.presentmentMoney) and refunds,
/// orderCapture, refundCreate with @idempotent, transactionVoid, userErrors, 429 and a lost answer. The capture ledger
/// is on Azurite.
/// </summary>
public sealed class ShopifyPaymentSettlementTests(StorageFixture storage) : IClassFixture<StorageFixture>, IDisposable
{
    private const string Token = "shpat_test_token_0123456789";
    private const string GraphQlPath = "/admin/api/2026-04/graphql.json";
    private const string Authorization = "gid://shopify/OrderTransaction/9001";
    private const string CaptureOne = "gid://shopify/OrderTransaction/9002";
    private const string CaptureTwo = "gid://shopify/OrderTransaction/9003";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly string order = ChannelPaymentReference.Shopify(Random.Shared.NextInt64(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => server.Stop();

    [Fact]
    public async Task CaptureAsync_MultiCapturableAuthorization_CapturesTheShipmentAmountAgainstItWithFinalCapture()
    {
        StubPayment(Auth(multiCapturable: true));
        StubCapture(CaptureOk(CaptureOne));
        using var provider = Build();

        var result = await Settlement(provider).CaptureAsync(Capture(1230, final: true, key: "shopify-1-capture-F1"));

        Assert.Equal((true, CaptureOne, null), (result.Captured, result.ProviderReference, result.FailureReason));
        var sent = Assert.Single(Requests("orderCapture"));
        Assert.Equal(Token, sent.RequestMessage.Headers!["X-Shopify-Access-Token"].Single());
        var input = Variables(sent).GetProperty("input");
        Assert.Equal(order, input.GetProperty("id").GetString());
        Assert.Equal(Authorization, input.GetProperty("parentTransactionId").GetString());
        Assert.Equal("12.3", input.GetProperty("amount").GetString());
        Assert.Equal("USD", input.GetProperty("currency").GetString());
        Assert.True(input.GetProperty("finalCapture").GetBoolean());
    }

    [Fact]
    public async Task CaptureAsync_AuthorizationNotMultiCapturable_SendsNoFinalCaptureFlag()
    {
        StubPayment(Auth(multiCapturable: false));
        StubCapture(CaptureOk(CaptureOne));
        using var provider = Build();

        await Settlement(provider).CaptureAsync(Capture(5451, final: true, key: "shopify-2-capture-F1"));

        Assert.False(Variables(Assert.Single(Requests("orderCapture"))).GetProperty("input").TryGetProperty("finalCapture", out _));
    }

    [Fact]
    public async Task CaptureAsync_SameKeyTwice_CapturesOnce()
    {
        StubPayment(Auth(multiCapturable: true));
        StubCapture(CaptureOk(CaptureOne));
        using var provider = Build();
        var request = Capture(1230, final: false, key: $"{order}-capture-F1");

        var first = await Settlement(provider).CaptureAsync(request);
        var again = await Settlement(provider).CaptureAsync(request);

        Assert.Equal((true, CaptureOne), (first.Captured, first.ProviderReference));
        Assert.Equal((true, CaptureOne), (again.Captured, again.ProviderReference));
        Assert.Single(Requests("orderCapture"));
    }

    [Fact]
    public async Task CaptureAsync_AnswerLostAfterShopifyCaptured_NotSentAgainAndTheRetryAdoptsTheCapture()
    {
        // Shopify applies the capture but the answer is a 502: the pipeline must not resend (orderCapture takes no key),
        // and the activity's retry finds the new capture of that amount in the order's transactions.
        server.Given(Post("*OrderFlowPayment*")).InScenario("lost").WillSetStateTo("captured")
            .RespondWith(Json(PaymentBody([Auth(multiCapturable: true)])));
        server.Given(Post("*OrderFlowPayment*")).InScenario("lost").WhenStateIs("captured")
            .RespondWith(Json(PaymentBody([Auth(multiCapturable: true), Txn(CaptureOne, "CAPTURE", "12.30", Authorization)])));
        server.Given(Post("*orderCapture*")).RespondWith(Response.Create().WithStatusCode(502));
        using var provider = Build();
        var request = Capture(1230, final: false, key: $"{order}-capture-F1");

        await Assert.ThrowsAsync<HttpRequestException>(() => Settlement(provider).CaptureAsync(request));
        var retried = await Settlement(provider).CaptureAsync(request);

        Assert.Equal((true, CaptureOne), (retried.Captured, retried.ProviderReference));
        Assert.Single(Requests("orderCapture"));
    }

    [Fact]
    public async Task CaptureAsync_Throttled429_RetriedAfterRetryAfterAndCapturedOnce()
    {
        StubPayment(Auth(multiCapturable: true));
        server.Given(Post("*orderCapture*")).InScenario("throttle").WillSetStateTo("open")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0.1"));
        server.Given(Post("*orderCapture*")).InScenario("throttle").WhenStateIs("open").RespondWith(Json(CaptureOk(CaptureOne)));
        using var provider = Build();

        var result = await Settlement(provider).CaptureAsync(Capture(1230, final: false, key: $"{order}-capture-F1"));

        Assert.True(result.Captured);
        Assert.Equal(2, Requests("orderCapture").Count);
    }

    [Fact]
    public async Task CaptureAsync_UserErrors_RefusedWithShopifysReasonAndARetryCapturesAfresh()
    {
        StubPayment(Auth(multiCapturable: true));
        server.Given(Post("*orderCapture*")).InScenario("refuse").WillSetStateTo("ok").RespondWith(Json("""
            {"data":{"orderCapture":{"transaction":null,"userErrors":[{"field":["input","amount"],"message":"Amount exceeds the capturable amount"}]}}}
            """));
        server.Given(Post("*orderCapture*")).InScenario("refuse").WhenStateIs("ok").RespondWith(Json(CaptureOk(CaptureOne)));
        using var provider = Build();
        var request = Capture(1230, final: false, key: $"{order}-capture-F1");

        var refused = await Settlement(provider).CaptureAsync(request);
        var retried = await Settlement(provider).CaptureAsync(request);

        Assert.False(refused.Captured);
        Assert.Equal("shopify_capture_refused: Amount exceeds the capturable amount", refused.FailureReason);
        Assert.True(retried.Captured);
        Assert.Equal(2, Requests("orderCapture").Count);
    }

    [Fact]
    public async Task CaptureAsync_NoAuthorization_RefusedWithoutCapturing()
    {
        StubPayment(Txn("gid://shopify/OrderTransaction/7", "SALE", "54.51"));
        using var provider = Build();

        var result = await Settlement(provider).CaptureAsync(Capture(5451, final: true, key: $"{order}-capture-F1"));

        Assert.False(result.Captured);
        Assert.StartsWith("shopify_no_authorization:", result.FailureReason, StringComparison.Ordinal);
        Assert.Empty(Requests("orderCapture"));
    }

    [Fact]
    public async Task RefundAsync_AfterTwoCaptures_SpreadsNewestFirstWithAnIdempotencyKeyAndDoesNotNotify()
    {
        StubPayment(
            Auth(multiCapturable: true),
            Txn(CaptureOne, "CAPTURE", "30.00", Authorization),
            Txn(CaptureTwo, "CAPTURE", "20.00", Authorization),
            Txn("gid://shopify/OrderTransaction/9004", "REFUND", "5.00", CaptureTwo));
        server.Given(Post("*refundCreate*")).RespondWith(Json("""{"data":{"refundCreate":{"refund":{"id":"gid://shopify/Refund/55"},"userErrors":[]}}}"""));
        using var provider = Build();

        var result = await Settlement(provider).RefundAsync(new RefundPaymentRequest("shopify-1", order, new Money(2500, "USD"), "cancelled", $"{order}-refund-cancel"));

        Assert.Equal((true, "gid://shopify/Refund/55", false), (result.Succeeded, result.ProviderReference, result.Voided));
        var sent = Assert.Single(Requests("refundCreate"));
        Assert.Matches("@idempotent\\(key: \"[0-9a-f-]{36}\"\\)", Query(sent));
        var input = Variables(sent).GetProperty("input");
        Assert.False(input.GetProperty("notify").GetBoolean());
        Assert.Contains($"[orderflow:{order}-refund-cancel]", input.GetProperty("note").GetString(), StringComparison.Ordinal);
        var parts = input.GetProperty("transactions").EnumerateArray()
            .Select(t => (t.GetProperty("parentId").GetString(), t.GetProperty("amount").GetString(), t.GetProperty("kind").GetString(), t.GetProperty("gateway").GetString()))
            .ToList();

        // The newer capture has 15.00 left after its earlier 5.00 refund; the other 10.00 come from the first.
        Assert.Equal([(CaptureTwo, "15", "REFUND", "shopify_payments"), (CaptureOne, "10", "REFUND", "shopify_payments")], parts);
    }

    [Fact]
    public async Task RefundAsync_RefundWithThisKeyAlreadyInShopify_ReturnsItWithoutRefundingAgain()
    {
        var request = new RefundPaymentRequest("shopify-1", order, new Money(2500, "USD"), "cancelled", $"{order}-refund-cancel");
        StubPayment(
            [Auth(multiCapturable: true), Txn(CaptureOne, "CAPTURE", "30.00", Authorization)],
            refunds: JsonSerializer.Serialize(new[] { new { id = "gid://shopify/Refund/55", note = $"cancelled [orderflow:{request.IdempotencyKey}]" } }));
        using var provider = Build();

        var result = await Settlement(provider).RefundAsync(request);

        Assert.Equal((true, "gid://shopify/Refund/55"), (result.Succeeded, result.ProviderReference));
        Assert.Empty(Requests("refundCreate"));
    }

    [Fact]
    public async Task RefundAsync_NothingCapturedYet_VoidsTheAuthorizationOnce()
    {
        StubPayment(Auth(multiCapturable: true));
        server.Given(Post("*transactionVoid*")).RespondWith(Json("""
            {"data":{"transactionVoid":{"transaction":{"id":"gid://shopify/OrderTransaction/9010","kind":"VOID","status":"SUCCESS"},"userErrors":[]}}}
            """));
        using var provider = Build();

        var result = await Settlement(provider).RefundAsync(new RefundPaymentRequest("shopify-1", order, new Money(5451, "USD"), "cancelled", $"{order}-refund-cancel"));

        Assert.Equal((true, true, "gid://shopify/OrderTransaction/9010"), (result.Succeeded, result.Voided, result.ProviderReference));
        Assert.Equal(Authorization, Variables(Assert.Single(Requests("transactionVoid"))).GetProperty("parentTransactionId").GetString());
        Assert.Empty(Requests("refundCreate"));
    }

    [Fact]
    public async Task RefundAsync_MoreThanCaptured_RefusedWithoutCallingShopify()
    {
        StubPayment(Auth(multiCapturable: true), Txn(CaptureOne, "CAPTURE", "10.00", Authorization));
        using var provider = Build();

        var result = await Settlement(provider).RefundAsync(new RefundPaymentRequest("shopify-1", order, new Money(2500, "USD"), "cancelled", $"{order}-refund-cancel"));

        Assert.False(result.Succeeded);
        Assert.StartsWith("shopify_refund_exceeds_captured:", result.FailureReason, StringComparison.Ordinal);
        Assert.Empty(Requests("refundCreate"));
    }

    [Fact]
    public async Task CaptureAsync_WooCommercePaymentOrShopifyWithoutCredentials_LeftToTheChannelsAdmin()
    {
        using var configured = Build();
        using var unconfigured = Build(domain: string.Empty);

        var woo = await Settlement(configured).CaptureAsync(new CapturePaymentRequest("woocommerce-7", ChannelPaymentReference.WooCommerce("7"), new Money(100, "USD"), true, "k1"));
        var shopify = await Settlement(unconfigured).CaptureAsync(Capture(100, final: true, key: "k2"));

        Assert.StartsWith("channel_capture_manual:", woo.FailureReason, StringComparison.Ordinal);
        Assert.StartsWith("channel_capture_manual:", shopify.FailureReason, StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    private CapturePaymentRequest Capture(long minor, bool final, string key) => new("shopify-1", order, new Money(minor, "USD"), final, key);

    private static string Auth(bool multiCapturable) => Transaction(Authorization, "AUTHORIZATION", "54.51", null, multiCapturable);

    private static string Txn(string id, string kind, string amount, string? parent = null) => Transaction(id, kind, amount, parent, false);

    // Shopify's OrderTransaction as the OrderFlowPayment query selects it.
    private static string Transaction(string id, string kind, string amount, string? parent, bool multiCapturable) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = id,
        ["kind"] = kind,
        ["status"] = "SUCCESS",
        ["gateway"] = "shopify_payments",
        ["multiCapturable"] = multiCapturable,
        ["parentTransaction"] = parent is null ? null : new { id = parent },
        ["amountSet"] = new { presentmentMoney = new { amount, currencyCode = "USD" } },
    });

    private string PaymentBody(IEnumerable<string> transactions, string refunds = "[]") =>
        "{\"data\":{\"order\":{\"id\":\"" + order + "\",\"transactions\":[" + string.Join(",", transactions) + "],\"refunds\":" + refunds + "}}}";

    private void StubPayment(params string[] transactions) => StubPayment(transactions, "[]");

    private void StubPayment(IEnumerable<string> transactions, string refunds) =>
        server.Given(Post("*OrderFlowPayment*")).RespondWith(Json(PaymentBody(transactions, refunds)));

    private void StubCapture(string body) => server.Given(Post("*orderCapture*")).RespondWith(Json(body));

    private static string CaptureOk(string id) =>
        "{\"data\":{\"orderCapture\":{\"transaction\":{\"id\":\"" + id + "\",\"kind\":\"CAPTURE\",\"status\":\"SUCCESS\"},\"userErrors\":[]}}}";

    private static IRequestBuilder Post(string bodyPattern) =>
        Request.Create().WithPath(GraphQlPath).UsingPost().WithHeader("X-Shopify-Access-Token", Token).WithBody(new WildcardMatcher(bodyPattern));

    private static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(body);

    private List<WireMock.Logging.ILogEntry> Requests(string operation) =>
        server.LogEntries.Where(e => e.RequestMessage.Body?.Contains(operation, StringComparison.Ordinal) == true
            && !e.RequestMessage.Body.Contains("OrderFlowPayment", StringComparison.Ordinal)).ToList();

    private static JsonElement Variables(WireMock.Logging.ILogEntry entry)
    {
        using var body = JsonDocument.Parse(entry.RequestMessage.Body!);
        return body.RootElement.GetProperty("variables").Clone();
    }

    private static string Query(WireMock.Logging.ILogEntry entry)
    {
        using var body = JsonDocument.Parse(entry.RequestMessage.Body!);
        return body.RootElement.GetProperty("query").GetString()!;
    }

    private static ShopifyPaymentSettlement Settlement(ServiceProvider provider) => provider.GetRequiredService<ShopifyPaymentSettlement>();

    private ServiceProvider Build(string domain = "orderflow-test.myshopify.com")
    {
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Shopify:ShopDomain"] = domain,
            ["Channels:Shopify:AccessToken"] = Token,
            ["Channels:Shopify:ApiVersion"] = "2026-04",
            ["Channels:Shopify:Locations"] = "WH-EAST=1",
        };
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(storage.Tables);
        services.AddSingleton<ChannelAdminSettlement>();
        services.AddSingleton<ShopifyPaymentSettlement>();
        services.AddOrderFlowChannels(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

        // Same client and pipeline as production; only the shop's address points at the stub.
        services.AddHttpClient(ShopifyAdminClient.HttpClientName).ConfigureHttpClient(c => c.BaseAddress = new Uri(server.Url! + "/"));
        return services.BuildServiceProvider();
    }
}
