using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Shopify;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using WireMock.ResponseBuilders;
using static OrderFlow.Integrations.Tests.Shopify.ShopifyAdminStub;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.Shopify;

/// <summary>
/// The Shopify write-back against a WireMock Admin API answering as Shopify documents it: the order's fulfillments and
/// fulfillment orders, fulfillmentCreate, orderCancel with orderCancelUserErrors, tagsAdd / tagsRemove, 429 with
/// Retry-After, THROTTLED with the cost extension, and userErrors. Every write reads first, so a retry after a lost
/// answer creates nothing twice.
/// </summary>
public sealed class ShopifyStorefrontWriterTests : IDisposable
{
    private const string ExternalId = "450789469";
    private const string OrderGid = "gid://shopify/Order/450789469";
    private const string FulfillmentOrder = "gid://shopify/FulfillmentOrder/1046000778";
    private const string MugLine = "gid://shopify/FulfillmentOrderLineItem/1058737482";
    private const string TeeLine = "gid://shopify/FulfillmentOrderLineItem/1058737483";
    private const string Tracking = "1Z999AA10123456784";

    private readonly WireMockServer server = WireMockServer.Start();
    private readonly ListLogger<ShopifyInventoryChannel> logger = new();

    public void Dispose() => server.Stop();

    [Fact]
    public async Task WriteAsync_ShippedParcel_CreatesAFulfillmentOnTheOpenFulfillmentOrderWithTrackingAndNoCustomerEmail()
    {
        StubFulfillmentOrders(FulfillmentOrdersBody(withTracking: null));
        StubMutation("fulfillmentCreate", FulfillmentCreated);
        using var provider = Build();

        await Writer(provider).WriteAsync(Fulfillment());

        var create = Assert.Single(Requests(server, "fulfillmentCreate"));
        Assert.Equal(Token, create.RequestMessage.Headers!["X-Shopify-Access-Token"].Single());
        var input = Variables(create).GetProperty("fulfillment");
        Assert.False(input.GetProperty("notifyCustomer").GetBoolean());
        var tracking = input.GetProperty("trackingInfo");
        Assert.Equal("UPS", tracking.GetProperty("company").GetString());
        Assert.Equal(Tracking, tracking.GetProperty("number").GetString());
        Assert.Equal($"https://www.ups.com/track?tracknum={Tracking}", tracking.GetProperty("url").GetString());
        var byOrder = Assert.Single(input.GetProperty("lineItemsByFulfillmentOrder").EnumerateArray().ToList());
        Assert.Equal(FulfillmentOrder, byOrder.GetProperty("fulfillmentOrderId").GetString());
        var line = Assert.Single(byOrder.GetProperty("fulfillmentOrderLineItems").EnumerateArray().ToList());
        Assert.Equal(MugLine, line.GetProperty("id").GetString());
        Assert.Equal(2, line.GetProperty("quantity").GetInt32());
        Assert.Equal(OrderGid, Variables(Assert.Single(Requests(server, "OrderFlowFulfillmentOrders"))).GetProperty("id").GetString());
    }

    [Fact]
    public async Task WriteAsync_AnswerLostAfterShopifyCreatedTheFulfillment_RetryFindsItAndCreatesNoDuplicate()
    {
        // Shopify applied the mutation but the answer was a 502; fulfillmentCreate takes no idempotency key, so the
        // client must not resend it, and the next run's read finds the fulfillment by its tracking number.
        server.Given(Post("*OrderFlowFulfillmentOrders*")).InScenario("lost").WhenStateIs("applied").RespondWith(Json(FulfillmentOrdersBody(withTracking: Tracking)));
        server.Given(Post("*OrderFlowFulfillmentOrders*")).InScenario("lost").RespondWith(Json(FulfillmentOrdersBody(withTracking: null)));
        server.Given(Post("*fulfillmentCreate*")).InScenario("lost").WillSetStateTo("applied")
            .RespondWith(Response.Create().WithStatusCode(502).WithBody("Bad Gateway"));
        using var provider = Build();
        var writer = Writer(provider);

        var lost = await Assert.ThrowsAsync<HttpRequestException>(() => writer.WriteAsync(Fulfillment()));
        await writer.WriteAsync(Fulfillment());

        Assert.Equal(System.Net.HttpStatusCode.BadGateway, lost.StatusCode);
        Assert.Single(Requests(server, "fulfillmentCreate"));
        Assert.Equal(2, Requests(server, "OrderFlowFulfillmentOrders").Count);
    }

    [Fact]
    public async Task WriteAsync_Throttled_WaitsForTheBucketThenCreatesTheFulfillmentOnce()
    {
        StubFulfillmentOrders(FulfillmentOrdersBody(withTracking: null));
        server.Given(Post("*fulfillmentCreate*")).InScenario("throttle").WillSetStateTo("throttled")
            .RespondWith(Json("""
                {"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],
                 "extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":0,"restoreRate":100.0}}}}
                """));
        server.Given(Post("*fulfillmentCreate*")).InScenario("throttle").WhenStateIs("throttled").RespondWith(Json(FulfillmentCreated));
        using var provider = Build();

        await Writer(provider).WriteAsync(Fulfillment());

        // THROTTLED means Shopify did nothing, so even a mutation without a key is sent again (0.1 s later).
        Assert.Equal(2, Requests(server, "fulfillmentCreate").Count);
        Assert.Contains(logger.Entries, e => e.Contains("HTTP 200", StringComparison.Ordinal) && e.Contains("00:00:00.1000000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_FulfillmentUserErrors_ThrowsRejectedWithTheMessage()
    {
        StubFulfillmentOrders(FulfillmentOrdersBody(withTracking: null));
        StubMutation("fulfillmentCreate", """
            {"data":{"fulfillmentCreate":{"fulfillment":null,
              "userErrors":[{"field":["fulfillment","lineItemsByFulfillmentOrder"],"message":"Fulfillment order 1046000778 has an unfulfillable status= closed."}]}}}
            """);
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<SalesChannelRejectedException>(() => Writer(provider).WriteAsync(Fulfillment()));

        Assert.Contains("unfulfillable status", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fulfillment.lineItemsByFulfillmentOrder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_NothingLeftToFulfil_SendsNoMutation()
    {
        StubFulfillmentOrders(FulfillmentOrdersBody(withTracking: null, mugRemaining: 0));
        StubMutation("fulfillmentCreate", FulfillmentCreated);
        using var provider = Build();

        await Writer(provider).WriteAsync(Fulfillment());

        Assert.Empty(Requests(server, "fulfillmentCreate"));
    }

    [Fact]
    public async Task WriteAsync_Cancel_CancelsWithoutRefundRestockOrEmailAndMarksTheStaffNote()
    {
        StubOrder(cancelledAt: null, tags: "[]");
        StubMutation("orderCancel", """{"data":{"orderCancel":{"job":{"id":"gid://shopify/Job/1","done":false},"orderCancelUserErrors":[]}}}""");
        using var provider = Build();

        await Writer(provider).WriteAsync(Write(WriteBackOps.Cancel));

        var variables = Variables(Assert.Single(Requests(server, "orderCancel(")));
        Assert.Equal(OrderGid, variables.GetProperty("orderId").GetString());
        Assert.False(variables.GetProperty("refund").GetBoolean());
        Assert.False(variables.GetProperty("restock").GetBoolean());
        Assert.False(variables.GetProperty("notifyCustomer").GetBoolean());
        Assert.Equal("OTHER", variables.GetProperty("reason").GetString());
        Assert.Contains("[orderflow:cancel]", variables.GetProperty("staffNote").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_CancelAlreadyCancelledInShopify_SendsNoMutation()
    {
        StubOrder(cancelledAt: "\"2026-12-05T09:00:00Z\"", tags: "[]");
        using var provider = Build();

        await Writer(provider).WriteAsync(Write(WriteBackOps.Cancel));

        Assert.Empty(Requests(server, "orderCancel("));
    }

    [Fact]
    public async Task WriteAsync_CancelRefused_ThrowsRejectedWithTheCode()
    {
        StubOrder(cancelledAt: null, tags: "[]");
        StubMutation("orderCancel", """
            {"data":{"orderCancel":{"job":null,"orderCancelUserErrors":[{"code":"INVALID","field":["orderId"],"message":"Cannot cancel an order that has been refunded."}]}}}
            """);
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<SalesChannelRejectedException>(() => Writer(provider).WriteAsync(Write(WriteBackOps.Cancel)));

        Assert.Contains("INVALID at orderId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_HoldAfterATooManyRequests_AddsTheTagOnceAfterRetryAfter()
    {
        StubOrder(cancelledAt: null, tags: """["vip"]""");
        server.Given(Post("*tagsAdd*")).InScenario("limited").WillSetStateTo("once")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0.5").WithHeader("Content-Type", "application/json").WithBody("""{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}"""));
        server.Given(Post("*tagsAdd*")).InScenario("limited").WhenStateIs("once").RespondWith(Json("""{"data":{"tagsAdd":{"node":{"id":"gid://shopify/Order/450789469"},"userErrors":[]}}}"""));
        using var provider = Build();

        await Writer(provider).WriteAsync(Write(WriteBackOps.Hold));

        var adds = Requests(server, "tagsAdd");
        Assert.Equal(2, adds.Count);
        Assert.Equal([ShopifyStorefrontWriter.HoldTag], Variables(adds[1]).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains(logger.Entries, e => e.Contains("HTTP 429", StringComparison.Ordinal) && e.Contains("00:00:00.5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_HoldTagAlreadyThere_SendsNothing_UnholdRemovesIt()
    {
        StubOrder(cancelledAt: null, tags: $"""["vip","{ShopifyStorefrontWriter.HoldTag}"]""");
        StubMutation("tagsRemove", """{"data":{"tagsRemove":{"node":{"id":"gid://shopify/Order/450789469"},"userErrors":[]}}}""");
        using var provider = Build();

        await Writer(provider).WriteAsync(Write(WriteBackOps.Hold));
        await Writer(provider).WriteAsync(Write(WriteBackOps.Unhold));

        Assert.Empty(Requests(server, "tagsAdd"));
        Assert.Equal(OrderGid, Variables(Assert.Single(Requests(server, "tagsRemove"))).GetProperty("id").GetString());
    }

    [Fact]
    public async Task WriteAsync_OrderUnknownToShopify_ThrowsRejected()
    {
        server.Given(Post("*OrderFlowOrder(*")).RespondWith(Json("""{"data":{"order":null}}"""));
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<SalesChannelRejectedException>(() => Writer(provider).WriteAsync(Write(WriteBackOps.Cancel)));

        Assert.Contains(OrderGid, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_StripeRefund_AppendsAMarkedLineToTheOrderNoteWithOrderUpdate()
    {
        StubNote("\"Gift wrap, please.\"");
        StubMutation("orderUpdate", """{"data":{"orderUpdate":{"order":{"id":"gid://shopify/Order/450789469"},"userErrors":[]}}}""");
        using var provider = Build();

        await Writer(provider).WriteAsync(Refund());

        var input = Variables(Assert.Single(Requests(server, "orderUpdate("))).GetProperty("input");
        Assert.Equal(OrderGid, input.GetProperty("id").GetString());
        var note = input.GetProperty("note").GetString()!.Split('\n');
        Assert.Equal("Gift wrap, please.", note[0]);
        Assert.StartsWith("[orderflow:refund|shopify-450789469:refund-R1] refunded ", note[1], StringComparison.Ordinal);
        Assert.Contains("12.99", note[1], StringComparison.Ordinal);
        Assert.EndsWith(" via Stripe", note[1], StringComparison.Ordinal);
        Assert.Equal(2, note.Length);
    }

    [Fact]
    public async Task WriteAsync_RefundNoteTooManyRequests_SetsTheNoteOnceAfterRetryAfter()
    {
        StubNote("null");
        server.Given(Post("*orderUpdate(*")).InScenario("limited").WillSetStateTo("once")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0.5").WithHeader("Content-Type", "application/json").WithBody("""{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}"""));
        server.Given(Post("*orderUpdate(*")).InScenario("limited").WhenStateIs("once")
            .RespondWith(Json("""{"data":{"orderUpdate":{"order":{"id":"gid://shopify/Order/450789469"},"userErrors":[]}}}"""));
        using var provider = Build();

        await Writer(provider).WriteAsync(Refund());

        var updates = Requests(server, "orderUpdate(");
        Assert.Equal(2, updates.Count);
        Assert.Equal(Variables(updates[0]).GetRawText(), Variables(updates[1]).GetRawText());
        Assert.Contains(logger.Entries, e => e.Contains("HTTP 429", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_RefundLineAlreadyInTheNote_SendsNoMutation()
    {
        StubNote("\"Gift wrap, please.\\n[orderflow:refund|shopify-450789469:refund-R1] refunded $12.99 via Stripe\"");
        using var provider = Build();

        await Writer(provider).WriteAsync(Refund());

        Assert.Empty(Requests(server, "orderUpdate("));
    }

    [Fact]
    public async Task WriteAsync_RefundNoteRefused_ThrowsRejectedWithTheMessage()
    {
        StubNote("null");
        StubMutation("orderUpdate", """{"data":{"orderUpdate":{"order":null,"userErrors":[{"field":["note"],"message":"Note is too long (maximum is 5000 characters)"}]}}}""");
        using var provider = Build();

        var ex = await Assert.ThrowsAsync<SalesChannelRejectedException>(() => Writer(provider).WriteAsync(Refund()));

        Assert.Contains("Note is too long", ex.Message, StringComparison.Ordinal);
        // No note before: the line is the whole note.
        var note = Variables(Assert.Single(Requests(server, "orderUpdate("))).GetProperty("input").GetProperty("note").GetString();
        Assert.StartsWith("[orderflow:refund|shopify-450789469:refund-R1] refunded ", note, StringComparison.Ordinal);
    }

    private const string FulfillmentCreated = """
        {"data":{"fulfillmentCreate":{"fulfillment":{"id":"gid://shopify/Fulfillment/255858046","status":"SUCCESS"},"userErrors":[]}},
         "extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":10,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":990,"restoreRate":100.0}}}}
        """;

    private static string FulfillmentOrdersBody(string? withTracking, int mugRemaining = 2)
    {
        var fulfillments = withTracking is null
            ? string.Empty
            : "{\"id\":\"gid://shopify/Fulfillment/255858046\",\"trackingInfo\":[{\"number\":\"" + withTracking + "\"}]}";
        return """
            {"data":{"order":{"id":"ORDER",
              "fulfillments":[FULFILLMENTS],
              "fulfillmentOrders":{"nodes":[
                {"id":"gid://shopify/FulfillmentOrder/1046000777","status":"CLOSED","lineItems":{"nodes":[{"id":"gid://shopify/FulfillmentOrderLineItem/1","remainingQuantity":0,"lineItem":{"sku":"SKU-MUG"}}]}},
                {"id":"FO","status":"OPEN","lineItems":{"nodes":[
                  {"id":"MUGLINE","remainingQuantity":MUGLEFT,"lineItem":{"sku":"SKU-MUG"}},
                  {"id":"TEELINE","remainingQuantity":1,"lineItem":{"sku":"SKU-TEE"}}]}}]}}}}
            """
            .Replace("ORDER", OrderGid, StringComparison.Ordinal).Replace("FULFILLMENTS", fulfillments, StringComparison.Ordinal)
            .Replace("FO\"", FulfillmentOrder + "\"", StringComparison.Ordinal).Replace("MUGLINE", MugLine, StringComparison.Ordinal)
            .Replace("TEELINE", TeeLine, StringComparison.Ordinal).Replace("MUGLEFT", mugRemaining.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private void StubFulfillmentOrders(string body) => server.Given(Post("*OrderFlowFulfillmentOrders*")).RespondWith(Json(body));

    private void StubOrder(string? cancelledAt, string tags) =>
        server.Given(Post("*OrderFlowOrder(*")).RespondWith(Json("{\"data\":{\"order\":{\"id\":\"" + OrderGid + "\",\"cancelledAt\":" + (cancelledAt ?? "null") + ",\"tags\":" + tags + "}}}"));

    private void StubNote(string note) =>
        server.Given(Post("*OrderFlowOrderNote(*")).RespondWith(Json("{\"data\":{\"order\":{\"id\":\"" + OrderGid + "\",\"note\":" + note + "}}}"));

    private static WriteBackRequest Refund() => Write(WriteBackOps.Refund) with
    {
        Key = "refund|shopify-450789469:refund-R1",
        Amount = new OrderFlow.Domain.Common.Money(1299, "USD"),
    };

    private void StubMutation(string mutation, string body) => server.Given(Post($"*{mutation}(*")).RespondWith(Json(body));

    private static WriteBackRequest Fulfillment() => Write(WriteBackOps.Fulfillment, new FulfillmentRecord(
        "F-1", "WH-EAST", [new FulfillmentLine("SKU-MUG", 2)], FulfillmentConfirmation.Shipped, "UPS", Tracking, $"https://www.ups.com/track?tracknum={Tracking}", null));

    private static WriteBackRequest Write(string op, FulfillmentRecord? parcel = null)
    {
        var order = TestOrders.Create(OrderIds.For(OrderSources.Shopify, ExternalId)) with { Source = OrderSources.Shopify, ExternalId = ExternalId };
        return new WriteBackRequest(op, parcel is null ? op : $"{op}|{parcel.FulfillmentId}", new OrderRecord(order, OrderStatus.InFulfillment, parcel is null ? [] : [parcel], []), parcel);
    }

    private static ShopifyStorefrontWriter Writer(ServiceProvider provider) => provider.GetServices<IStorefrontWriter>().OfType<ShopifyStorefrontWriter>().Single();

    private ServiceProvider Build()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Shopify:ShopDomain"] = "orderflow-test.myshopify.com",
            ["Channels:Shopify:AccessToken"] = Token,
            ["Channels:Shopify:ApiVersion"] = "2026-04",
            ["Channels:Shopify:Locations"] = "WH-EAST=gid://shopify/Location/64213452",

            // Same client and pipeline as production; only the Admin API's address points at the stub.
            ["Channels:Shopify:AdminBaseUrl"] = server.Url,
        };
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<ILogger<ShopifyInventoryChannel>>(logger);
        services.AddSingleton(TimeProvider.System);
        services.AddOrderFlowChannels(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

        return services.BuildServiceProvider();
    }
}
