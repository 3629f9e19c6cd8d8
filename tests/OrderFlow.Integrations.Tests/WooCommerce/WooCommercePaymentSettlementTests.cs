using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Payments;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Integrations.WooCommerce;
using OrderFlow.Workflows.Contracts;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static OrderFlow.Integrations.Tests.WooCommerce.WooCommerceRestStub;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Integrations.Tests.WooCommerce;

/// <summary>
/// Refunds of WooCommerce-held payments against a WireMock REST API v3 answering as WooCommerce documents it: GET / POST
/// orders/{id}/refunds (the refund object with amount, reason, refunded_payment), the 500
/// woocommerce_rest_cannot_create_order_refund a gateway refusal comes back as, other {"code","message","data"} errors,
/// 429 with Retry-After, and a lost answer that must not refund twice.
/// </summary>
public sealed class WooCommercePaymentSettlementTests : IDisposable
{
    private const string RefundsPath = "/wp-json/wc/v3/orders/727/refunds";
    private const string IdempotencyKey = "woocommerce-727:refund-cancel";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly ListLogger<WooCommerceInventoryChannel> logger = new();

    public void Dispose() => server.Stop();

    [Fact]
    public async Task RefundAsync_NoEarlierRefund_PostsTheDecimalAmountReasonWithMarkerAndApiRefund()
    {
        StubRefunds("[]");
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(RefundsPath).UsingPost()).RespondWith(Json(RefundJson(741, "54.51", $"customer-request [orderflow:{IdempotencyKey}]", paid: true), HttpStatusCode.Created));
        using var provider = Build();

        var result = await Settlement(provider).RefundAsync(RefundRequest());

        Assert.Equal(new RefundResult(true, new Money(5451, "USD"), "woocommerce:refund/741", null), result);
        var post = Assert.Single(Requests("POST"));
        using var body = JsonDocument.Parse(post.RequestMessage.Body!);
        Assert.Equal("54.51", body.RootElement.GetProperty("amount").GetString());
        Assert.Equal($"customer-request [orderflow:{IdempotencyKey}]", body.RootElement.GetProperty("reason").GetString());
        Assert.True(body.RootElement.GetProperty("api_refund").GetBoolean());
        Assert.False(body.RootElement.GetProperty("api_restock").GetBoolean());
        Assert.StartsWith("Basic ", post.RequestMessage.Headers!["Authorization"].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefundAsync_GatewayCannotRefund_IsARefusalWithWooCommercesMessageAndNotResent()
    {
        StubRefunds("[]");
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(RefundsPath).UsingPost()).RespondWith(Json(
            """{"code":"woocommerce_rest_cannot_create_order_refund","message":"The payment gateway for this order does not support automatic refunds.","data":{"status":500}}""",
            HttpStatusCode.InternalServerError));
        using var provider = Build();

        var result = await Settlement(provider).RefundAsync(RefundRequest());

        Assert.False(result.Succeeded);
        Assert.StartsWith("woocommerce_refund_refused: The payment gateway for this order does not support automatic refunds.", result.FailureReason, StringComparison.Ordinal);
        Assert.Contains("woocommerce_rest_cannot_create_order_refund", result.FailureReason, StringComparison.Ordinal);
        Assert.Single(Requests("POST"));
    }

    [Fact]
    public async Task RefundAsync_OrderUnknownToTheStore_IsARefusalNamingTheCode()
    {
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(RefundsPath).UsingGet()).RespondWith(Json(
            """{"code":"woocommerce_rest_invalid_order_id","message":"Invalid order ID.","data":{"status":404}}""", HttpStatusCode.NotFound));
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<WooCommerceApiException>(() => Settlement(provider).RefundAsync(RefundRequest()));

        // The read failed before anything was sent: the activity fails the step (and its case says why), nothing is refunded.
        Assert.Equal("woocommerce_rest_invalid_order_id", ex.Code);
        Assert.Equal("Invalid order ID.", ex.ErrorMessage);
        Assert.Empty(Requests("POST"));
    }

    [Fact]
    public async Task RefundAsync_AmountAboveWhatIsLeft_400IsARefusal()
    {
        StubRefunds("[]");
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(RefundsPath).UsingPost()).RespondWith(Json(
            """{"code":"woocommerce_rest_invalid_order_refund","message":"Refund amount must be greater than zero.","data":{"status":400}}""", HttpStatusCode.BadRequest));
        using var provider = Build();

        var result = await Settlement(provider).RefundAsync(RefundRequest());

        Assert.False(result.Succeeded);
        Assert.Contains("Refund amount must be greater than zero.", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefundAsync_AnswerLostAfterWooCommerceRefunded_IsNotResentAndTheRetryFindsTheMarker()
    {
        var made = RefundJson(742, "54.51", $"customer-request [orderflow:{IdempotencyKey}]", paid: true);
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(RefundsPath).UsingGet()).InScenario("lost").WhenStateIs("refunded").RespondWith(Json($"[{made}]"));
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(RefundsPath).UsingGet()).InScenario("lost").RespondWith(Json("[]"));
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(RefundsPath).UsingPost()).InScenario("lost").WillSetStateTo("refunded")
            .RespondWith(Response.Create().WithStatusCode(502).WithBody("<html><body>Bad Gateway</body></html>"));
        using var provider = Build();
        var settlement = Settlement(provider);

        var lost = await Assert.ThrowsAsync<WooCommerceApiException>(() => settlement.RefundAsync(RefundRequest()));
        var retried = await settlement.RefundAsync(RefundRequest());

        Assert.Equal(HttpStatusCode.BadGateway, lost.StatusCode);
        Assert.Equal(new RefundResult(true, new Money(5451, "USD"), "woocommerce:refund/742", null), retried);
        Assert.Single(Requests("POST"));
    }

    [Fact]
    public async Task RefundAsync_TooManyRequests_WaitsRetryAfterThenRefundsOnce()
    {
        StubRefunds("[]");
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(RefundsPath).UsingPost()).InScenario("limited").WillSetStateTo("once")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":"rest_too_many_requests","message":"Too many requests.","data":{"status":429}}"""));
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(RefundsPath).UsingPost()).InScenario("limited").WhenStateIs("once")
            .RespondWith(Json(RefundJson(743, "54.51", "ok", paid: true), HttpStatusCode.Created));
        using var provider = Build();

        var result = await Settlement(provider).RefundAsync(RefundRequest());

        Assert.True(result.Succeeded);
        Assert.Equal(2, Requests("POST").Count);
        Assert.Contains(logger.Entries, e => e.Contains("HTTP 429", StringComparison.Ordinal) && e.Contains("00:00:01", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefundAsync_RecordedButTheGatewayDidNotPay_IsNotReportedAsRefunded()
    {
        StubRefunds("[]");
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath(RefundsPath).UsingPost()).RespondWith(Json(RefundJson(744, "54.51", "x", paid: false), HttpStatusCode.Created));
        using var provider = Build();

        var result = await Settlement(provider).RefundAsync(RefundRequest());

        Assert.False(result.Succeeded);
        Assert.StartsWith("woocommerce_refund_not_paid:", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureAndUnconfiguredRefund_StayWithTheChannelsAdmin()
    {
        using var provider = Build(configured: false);
        var settlement = Settlement(provider);

        var capture = await settlement.CaptureAsync(new CapturePaymentRequest("woocommerce-727", "woocommerce:order/727", new Money(5451, "USD"), true, "woocommerce-727:capture-F1"));
        var refund = await settlement.RefundAsync(RefundRequest());

        Assert.StartsWith("channel_capture_manual:", capture.FailureReason, StringComparison.Ordinal);
        Assert.StartsWith("channel_refund_manual:", refund.FailureReason, StringComparison.Ordinal);
        Assert.Empty(server.LogEntries);
    }

    private static RefundPaymentRequest RefundRequest() =>
        new("woocommerce-727", ChannelPaymentReference.WooCommerce("727"), new Money(5451, "USD"), "customer-request", IdempotencyKey);

    private static string RefundJson(int id, string amount, string reason, bool paid) => $$"""
        {"id":{{id}},"date_created":"2026-12-05T09:00:00","date_created_gmt":"2026-12-05T09:00:00","amount":"{{amount}}","reason":"{{reason}}",
         "refunded_by":1,"refunded_payment":{{(paid ? "true" : "false")}},"meta_data":[],"line_items":[],"shipping_lines":[],"tax_lines":[],"fee_lines":[]}
        """;

    private void StubRefunds(string body) => server.Given(WireMock.RequestBuilders.Request.Create().WithPath(RefundsPath).UsingGet()).RespondWith(Json(body));

    private List<WireMock.Logging.ILogEntry> Requests(string method) =>
        server.LogEntries.Where(e => e.RequestMessage.Path == RefundsPath && e.RequestMessage.Method == method).ToList();

    private static WooCommercePaymentSettlement Settlement(ServiceProvider provider) => new(
        provider.GetRequiredService<WooCommerceRestClient>(),
        new ChannelAdminSettlement(NullLogger<ChannelAdminSettlement>.Instance),
        provider.GetRequiredService<IOptions<ChannelsOptions>>(),
        NullLogger<WooCommercePaymentSettlement>.Instance);

    private ServiceProvider Build(bool configured = true) => WooCommerceRestStub.Build(server, logger, configured);
}
