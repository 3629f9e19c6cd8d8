using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Integrations.WooCommerce;
using OrderFlow.Workflows.Contracts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static OrderFlow.Integrations.Tests.WooCommerce.WooCommerceRestStub;

namespace OrderFlow.Integrations.Tests.WooCommerce;

/// <summary>
/// The WooCommerce write-back against a WireMock REST API v3 answering as WooCommerce documents it: GET / PUT
/// orders/{id} with the order's status, GET / POST orders/{id}/notes, 429 with Retry-After, and {"code","message"}
/// errors. A tracking note carries its [orderflow:...] marker, so a retry after a lost answer adds it once.
/// </summary>
public sealed class WooCommerceStorefrontWriterTests : IDisposable
{
    private const string ExternalId = "727";
    private const string OrderPath = "/wp-json/wc/v3/orders/727";
    private const string NotesPath = "/wp-json/wc/v3/orders/727/notes";
    private const string RefundsPath = "/wp-json/wc/v3/orders/727/refunds";
    private const string Tracking = "9400111899223197428490";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly ListLogger<WooCommerceInventoryChannel> logger = new();

    public void Dispose() => server.Stop();

    [Theory]
    [InlineData(WriteBackOps.Complete, "processing", "completed")]
    [InlineData(WriteBackOps.Cancel, "processing", "cancelled")]
    [InlineData(WriteBackOps.Hold, "processing", "on-hold")]
    [InlineData(WriteBackOps.Unhold, "on-hold", "processing")]
    public async Task WriteAsync_StatusOp_ReadsTheOrderThenPutsTheNewStatusWithBasicAuth(string op, string current, string expected)
    {
        StubOrder(current);
        StubPut(expected);
        using var provider = Build();

        await Writer(provider).WriteAsync(Write(op));

        var put = Assert.Single(Requests(OrderPath, "PUT"));
        Assert.Equal(Basic, put.RequestMessage.Headers!["Authorization"].Single());
        using var body = JsonDocument.Parse(put.RequestMessage.Body!);
        Assert.Equal(expected, body.RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(WriteBackOps.Complete, "completed")]
    [InlineData(WriteBackOps.Hold, "completed")]
    [InlineData(WriteBackOps.Unhold, "processing")]
    [InlineData(WriteBackOps.Cancel, "cancelled")]
    public async Task WriteAsync_StatusAlreadyThereOrNotApplicable_SendsNoUpdate(string op, string current)
    {
        StubOrder(current);
        using var provider = Build();

        await Writer(provider).WriteAsync(Write(op));

        Assert.Empty(Requests(OrderPath, "PUT"));
    }

    [Fact]
    public async Task WriteAsync_ShippedParcel_AddsOnePrivateNoteWithCarrierTrackingAndMarker()
    {
        StubNotes("[]");
        StubAddNote(HttpStatusCode.Created);
        using var provider = Build();

        await Writer(provider).WriteAsync(Parcel());

        var post = Assert.Single(Requests(NotesPath, "POST"));
        using var body = JsonDocument.Parse(post.RequestMessage.Body!);
        Assert.False(body.RootElement.GetProperty("customer_note").GetBoolean());
        var note = body.RootElement.GetProperty("note").GetString()!;
        Assert.Contains("USPS", note, StringComparison.Ordinal);
        Assert.Contains(Tracking, note, StringComparison.Ordinal);
        Assert.Contains($"https://tools.usps.com/go/TrackConfirmAction?tLabels={Tracking}", note, StringComparison.Ordinal);
        Assert.Contains("[orderflow:fulfillment|F-1]", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_NoteAnswerLost_IsNotResent_AndTheNextTryFindsTheMarkerAndAddsNothing()
    {
        server.Given(Get(NotesPath)).InScenario("lost").WhenStateIs("added").RespondWith(Json($$"""
            [{"id":281,"author":"system","date_created":"2026-12-05T09:00:00","note":"Shipped F-1 with USPS, tracking number {{Tracking}} [orderflow:fulfillment|F-1]","customer_note":false}]
            """));
        server.Given(Get(NotesPath)).InScenario("lost").RespondWith(Json("[]"));
        server.Given(Request.Create().WithPath(NotesPath).UsingPost()).InScenario("lost").WillSetStateTo("added")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("Service Unavailable"));
        using var provider = Build();
        var writer = Writer(provider);

        var lost = await Assert.ThrowsAsync<WooCommerceApiException>(() => writer.WriteAsync(Parcel()));
        await writer.WriteAsync(Parcel());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
        Assert.Single(Requests(NotesPath, "POST"));
    }

    [Fact]
    public async Task WriteAsync_TooManyRequests_WaitsRetryAfterThenAddsTheNoteOnce()
    {
        StubNotes("[]");
        server.Given(Request.Create().WithPath(NotesPath).UsingPost()).InScenario("limited").WillSetStateTo("once")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":"rest_too_many_requests","message":"Too many requests.","data":{"status":429}}"""));
        server.Given(Request.Create().WithPath(NotesPath).UsingPost()).InScenario("limited").WhenStateIs("once")
            .RespondWith(Json("""{"id":282,"note":"ok","customer_note":false}""", HttpStatusCode.Created));
        using var provider = Build();

        await Writer(provider).WriteAsync(Parcel());

        Assert.Equal(2, Requests(NotesPath, "POST").Count);
        Assert.Contains(logger.Entries, e => e.Contains("HTTP 429", StringComparison.Ordinal) && e.Contains("00:00:01", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_OrderGoneFromTheStore_ThrowsWithTheStatusAndWooCommerceCode()
    {
        server.Given(Get(OrderPath)).RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json")
            .WithBody("""{"code":"woocommerce_rest_shop_order_invalid_id","message":"Invalid ID.","data":{"status":404}}"""));
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<WooCommerceApiException>(() => Writer(provider).WriteAsync(Write(WriteBackOps.Complete)));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Contains("woocommerce_rest_shop_order_invalid_id", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_StripeRefund_RecordsAWooCommerceRefundThatMovesNoMoney()
    {
        server.Given(Get(RefundsPath)).RespondWith(Json("[]"));
        server.Given(Request.Create().WithPath(RefundsPath).UsingPost().WithHeader("Authorization", Basic))
            .RespondWith(Json("""{"id":745,"amount":"12.99","reason":"x","refunded_by":1,"refunded_payment":false,"meta_data":[],"line_items":[]}""", HttpStatusCode.Created));
        using var provider = Build();

        await Writer(provider).WriteAsync(Refund());

        using var body = JsonDocument.Parse(Assert.Single(Requests(RefundsPath, "POST")).RequestMessage.Body!);
        Assert.Equal("12.99", body.RootElement.GetProperty("amount").GetString());
        Assert.False(body.RootElement.GetProperty("api_refund").GetBoolean());
        Assert.False(body.RootElement.GetProperty("api_restock").GetBoolean());
        Assert.EndsWith("via Stripe by OrderFlow [orderflow:refund|woocommerce-727:refund-R1]", body.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_RefundAnswerLost_IsNotResent_AndTheNextTryFindsTheMarkerAndAddsNothing()
    {
        server.Given(Get(RefundsPath)).InScenario("lost").WhenStateIs("added").RespondWith(Json("""
            [{"id":746,"date_created":"2026-12-05T09:00:00","amount":"12.99","reason":"Refunded $12.99 via Stripe by OrderFlow [orderflow:refund|woocommerce-727:refund-R1]","refunded_by":1,"refunded_payment":false}]
            """));
        server.Given(Get(RefundsPath)).InScenario("lost").RespondWith(Json("[]"));
        server.Given(Request.Create().WithPath(RefundsPath).UsingPost()).InScenario("lost").WillSetStateTo("added")
            .RespondWith(Response.Create().WithStatusCode(504).WithBody("Gateway Timeout"));
        using var provider = Build();
        var writer = Writer(provider);

        var lost = await Assert.ThrowsAsync<WooCommerceApiException>(() => writer.WriteAsync(Refund()));
        await writer.WriteAsync(Refund());

        Assert.Equal(HttpStatusCode.GatewayTimeout, lost.StatusCode);
        Assert.Single(Requests(RefundsPath, "POST"));
        Assert.Equal(2, Requests(RefundsPath, "GET").Count);
    }

    private static WriteBackRequest Refund() => Write(WriteBackOps.Refund) with
    {
        Key = "refund|woocommerce-727:refund-R1",
        Amount = new OrderFlow.Domain.Common.Money(1299, "USD"),
    };

    private void StubOrder(string status) => server.Given(Get(OrderPath)).RespondWith(Json(OrderJson(status)));

    private void StubPut(string status) =>
        server.Given(Request.Create().WithPath(OrderPath).UsingPut().WithHeader("Authorization", Basic)).RespondWith(Json(OrderJson(status)));

    private void StubNotes(string body) => server.Given(Get(NotesPath)).RespondWith(Json(body));

    private void StubAddNote(HttpStatusCode status) =>
        server.Given(Request.Create().WithPath(NotesPath).UsingPost().WithHeader("Authorization", Basic))
            .RespondWith(Json("""{"id":281,"author":"system","note":"ok","customer_note":false}""", status));

    private static string OrderJson(string status) => $$"""
        {"id":727,"parent_id":0,"number":"727","order_key":"wc_order_58d2d042d1d","status":"{{status}}","currency":"USD","total":"54.51","line_items":[]}
        """;

    private static IRequestBuilder Get(string path) => Request.Create().WithPath(path).UsingGet().WithHeader("Authorization", Basic);

    private List<WireMock.Logging.ILogEntry> Requests(string path, string method) =>
        server.LogEntries.Where(e => e.RequestMessage.Path == path && e.RequestMessage.Method == method).ToList();

    private static WriteBackRequest Parcel() => Write(WriteBackOps.Fulfillment, new FulfillmentRecord(
        "F-1", "WH-EAST", [new FulfillmentLine("SKU-MUG", 2)], FulfillmentConfirmation.Shipped, "USPS", Tracking,
        $"https://tools.usps.com/go/TrackConfirmAction?tLabels={Tracking}", null));

    private static WriteBackRequest Write(string op, FulfillmentRecord? parcel = null)
    {
        var order = TestOrders.Create(OrderIds.For(OrderSources.WooCommerce, ExternalId)) with { Source = OrderSources.WooCommerce, ExternalId = ExternalId };
        return new WriteBackRequest(op, parcel is null ? op : $"{op}|{parcel.FulfillmentId}", new OrderRecord(order, OrderStatus.InFulfillment, parcel is null ? [] : [parcel], []), parcel);
    }

    private static WooCommerceStorefrontWriter Writer(ServiceProvider provider) => provider.GetServices<IStorefrontWriter>().OfType<WooCommerceStorefrontWriter>().Single();

    private ServiceProvider Build() => WooCommerceRestStub.Build(server, logger);
}
