using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using OrderFlow.EndToEnd.Tests.Contracts;
using OrderFlow.EndToEnd.Tests.Infrastructure;
using OrderFlow.Integrations.Storage;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// Write-back to Shopify through the real host: the realistic samples/shopify-order.json (Shopify Payments, paid, no
/// payment intent) comes in by signed orders/create, and the Admin API is played by WireMock (<see cref="ShopifyAdminFake"/>,
/// reached through Channels:Shopify:AdminBaseUrl). What Shopify received is read from WireMock's request log; the runs
/// are driven by Channels:SyncInterval (1 s), and the tests wait on the WriteBack table, never on time.
/// </summary>
public sealed class ShopifyWriteBackTests(ShopifyHostFixture host, ITestOutputHelper output) : IClassFixture<ShopifyHostFixture>
{
    /// <summary>The sample's total_price 54.51 USD in minor units.</summary>
    private const long OrderTotal = 5451;

    /// <summary>A lost answer leaves the row to the pusher's first backoff (1 minute), so that test waits longer.</summary>
    private static readonly TimeSpan AfterBackoff = TimeSpan.FromMinutes(3);

    [Fact]
    public Task PaidOrderShippedInTwoParcels_ReachesFulfilled_OneShopifyFulfillmentPerParcelWithCarrierTrackingAndUrl() => host.RunAsync(output, async () =>
    {
        var (order, mug, tee) = await PlaceOrderAsync(teeAt: Stock.West);

        await host.Warehouse.ShipAsync(host.Api, order.OrderId, Stock.East, Stock.West);
        var done = await host.Api.WaitForCompletionAsync(order.OrderId, "Fulfilled");
        Assert.Equal(2, done.Fulfillments.Count);
        await WaitForWriteBacksAsync(order.OrderId, [Parcel(order, 1), Parcel(order, 2), "complete"]);

        var creates = host.Shopify.Requests("fulfillmentCreate", order.ShopifyId);
        Assert.Equal(2, creates.Count);
        Assert.All(creates, c => Assert.Equal(200, ShopifyAdminFake.StatusOf(c)));
        foreach (var parcel in done.Fulfillments)
        {
            Assert.False(string.IsNullOrEmpty(parcel.TrackingNumber), $"{parcel.FulfillmentId} has no tracking number");
            var create = Assert.Single(creates, c => Tracking(c).GetProperty("number").GetString() == parcel.TrackingNumber);
            var input = ShopifyAdminFake.Variables(create).GetProperty("fulfillment");
            Assert.False(input.GetProperty("notifyCustomer").GetBoolean());
            Assert.Equal(parcel.Carrier, Tracking(create).GetProperty("company").GetString());
            Assert.Equal(parcel.TrackingUrl, Tracking(create).GetProperty("url").GetString());
            var items = input.GetProperty("lineItemsByFulfillmentOrder").EnumerateArray()
                .SelectMany(g => g.GetProperty("fulfillmentOrderLineItems").EnumerateArray())
                .Select(i => (i.GetProperty("id").GetString(), i.GetProperty("quantity").GetInt32()))
                .ToList();
            var (sku, quantity) = parcel.Location == Stock.East ? (mug, 2) : (tee, 1);
            Assert.Equal([(LineItemId(order, sku == mug ? 1 : 2), quantity)], items);
        }

        Assert.Empty(host.Shopify.Requests("orderCancel", order.ShopifyId));
        Assert.Empty(host.Shopify.Requests("refundCreate", order.ShopifyId));
    });

    [Fact]
    public Task PaidOrderCancelledThroughOrderFlow_RefundsThroughShopifyAndWritesOrderCancelOnce() => host.RunAsync(output, async () =>
    {
        var (order, _, _) = await PlaceOrderAsync(teeAt: Stock.East);
        await host.Api.WaitForOrderAsync(order.OrderId, o => o.Fulfillments.Any(f => f.Status == "awaiting-confirmation"), "F1 awaiting confirmation");

        using (var cancel = await host.Api.SendAsOperatorAsync(HttpMethod.Post, $"/api/orders/{order.OrderId}/cancel", JsonContent.Create(new { reason = "customer-request" })))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        await host.Warehouse.StopAsync(host.Api, order.OrderId, Stock.East);
        await host.Api.WaitForCompletionAsync(order.OrderId, "Cancelled");
        await WaitForWriteBacksAsync(order.OrderId, ["cancel"]);

        var cancelled = Assert.Single(host.Shopify.Requests("orderCancel", order.ShopifyId));
        var variables = ShopifyAdminFake.Variables(cancelled);
        Assert.Equal($"gid://shopify/Order/{order.ShopifyId}", variables.GetProperty("orderId").GetString());
        Assert.False(variables.GetProperty("refund").GetBoolean());
        Assert.False(variables.GetProperty("restock").GetBoolean());
        Assert.False(variables.GetProperty("notifyCustomer").GetBoolean());
        Assert.Contains("[orderflow:cancel]", variables.GetProperty("staffNote").GetString(), StringComparison.Ordinal);

        // The money Shopify holds went back through Shopify, once, the whole total (orderCancel itself refunds nothing).
        var refund = Assert.Single(host.Shopify.Requests("refundCreate", order.ShopifyId));
        var input = ShopifyAdminFake.Variables(refund).GetProperty("input");
        Assert.Equal("54.51", Assert.Single(input.GetProperty("transactions").EnumerateArray().ToList()).GetProperty("amount").GetString());
        Assert.False(input.GetProperty("notify").GetBoolean());
        Assert.Empty(host.Shopify.Requests("fulfillmentCreate", order.ShopifyId));
    });

    [Fact]
    public Task FulfillmentCreateAnswerLostAfterShopifyAppliedIt_NextRunReadsItAndCreatesNoDuplicate() => host.RunAsync(output, async () =>
    {
        var (order, _, _) = await PlaceOrderAsync(teeAt: Stock.East);
        host.Shopify.LoseNextAnswer(order.ShopifyId, "fulfillmentCreate");

        await host.Warehouse.ShipAsync(host.Api, order.OrderId, Stock.East);
        var done = await host.Api.WaitForCompletionAsync(order.OrderId, "Fulfilled");
        var rows = await WaitForWriteBacksAsync(order.OrderId, [Parcel(order, 1), "complete"], AfterBackoff);

        // Shopify applied the one fulfillmentCreate and answered 502: it was not resent, and the later run's read found
        // the fulfillment by its tracking number and wrote nothing more.
        var create = Assert.Single(host.Shopify.Requests("fulfillmentCreate", order.ShopifyId));
        Assert.Equal(502, ShopifyAdminFake.StatusOf(create));
        Assert.Equal(Assert.Single(done.Fulfillments).TrackingNumber, Tracking(create).GetProperty("number").GetString());
        Assert.True(host.Shopify.Requests("fulfillmentOrders", order.ShopifyId).Count >= 2, "the retry read the order again");
        var parcel = rows.Single(r => r.RowKey.StartsWith("fulfillment|", StringComparison.Ordinal));
        Assert.Equal(1, parcel.GetInt32("Attempts"));
    });

    [Fact]
    public Task StripePaidOrderCancelled_RefundsThroughStripeAndNotesTheRefundOnTheShopifyOrderOnce() => host.RunAsync(output, async () =>
    {
        var intent = $"pi_3E2E{Guid.NewGuid():N}"[..27];
        StripeApiStubs.StubIntent(host.Shopify.Server, intent, "succeeded", OrderTotal);
        StripeApiStubs.StubRefund(host.Shopify.Server, intent, OrderTotal);
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await host.Api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 3 });
        await host.Api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 3 });
        var order = TestOrder.Create(root =>
        {
            TestOrder.WithSkus(mug, tee)(root);
            root["note_attributes"]!.AsArray().Single(a => (string?)a!["name"] == "payment_intent_id")!["value"] = intent;
        });
        host.Shopify.AddPaidOrder(order.ShopifyId, OrderTotal, "USD", (mug, 2), (tee, 1));
        using (var accepted = await host.Api.PostShopifyOrderAsync(order, $"writeback-{order.ShopifyId}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        await host.Api.WaitForOrderAsync(order.OrderId, o => o.Fulfillments.Any(f => f.Status == "awaiting-confirmation"), "F1 awaiting confirmation");
        using (var cancel = await host.Api.SendAsOperatorAsync(HttpMethod.Post, $"/api/orders/{order.OrderId}/cancel", JsonContent.Create(new { reason = "customer-request" })))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        await host.Warehouse.StopAsync(host.Api, order.OrderId, Stock.East);
        await host.Api.WaitForCompletionAsync(order.OrderId, "Cancelled");
        var stripeRefund = Assert.Single(host.Shopify.Server.LogEntries, e => e.RequestMessage.Path == "/v1/refunds" && StripeHostFixture.Form(e).GetValueOrDefault("payment_intent") == intent);
        var refundKey = StripeHostFixture.IdempotencyKeyOf(stripeRefund);
        await WaitForWriteBacksAsync(order.OrderId, ["cancel", "refund|" + TableKeys.Encode(refundKey)]);

        // The money moved through Stripe: Shopify gets no refundCreate (it records money only against its own
        // transactions), but one note line the merchant sees, marked with the refund's key.
        Assert.Empty(host.Shopify.Requests("refundCreate", order.ShopifyId));
        var update = Assert.Single(host.Shopify.Requests("orderUpdate", order.ShopifyId));
        var note = ShopifyAdminFake.Variables(update).GetProperty("input").GetProperty("note").GetString()!;
        Assert.StartsWith($"[orderflow:refund|{refundKey}] refunded ", note, StringComparison.Ordinal);
        Assert.Contains("54.51", note, StringComparison.Ordinal);
        Assert.EndsWith(" via Stripe", note, StringComparison.Ordinal);
        Assert.Single(host.Shopify.Requests("orderCancel", order.ShopifyId));
    });

    private static JsonElement Tracking(WireMock.Logging.ILogEntry create) =>
        ShopifyAdminFake.Variables(create).GetProperty("fulfillment").GetProperty("trackingInfo");

    /// <summary>The WriteBack row key of the order's parcel <paramref name="sequence"/>.</summary>
    private static string Parcel(TestOrder order, int sequence) => "fulfillment|" + TableKeys.Encode(order.FulfillmentId(sequence));

    /// <summary>The fake's fulfillment order line item of the order's line <paramref name="line"/> (1-based).</summary>
    private static string LineItemId(TestOrder order, int line) => $"gid://shopify/FulfillmentOrderLineItem/{order.ShopifyId}{line}";

    /// <summary>Stocks the test's own SKUs (mugs in the east, tees where asked), tells the fake Shopify about the order and posts it.</summary>
    private async Task<(TestOrder Order, string Mug, string Tee)> PlaceOrderAsync(string teeAt)
    {
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await host.Api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 3 });
        await host.Api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [teeAt] = 3 });
        var order = TestOrder.Create(TestOrder.WithSkus(mug, tee), TestOrder.RealisticSample);
        host.Shopify.AddPaidOrder(order.ShopifyId, OrderTotal, "USD", (mug, 2), (tee, 1));

        using var accepted = await host.Api.PostShopifyOrderAsync(order, $"writeback-{order.ShopifyId}");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        return (order, mug, tee);
    }

    /// <summary>Waits until the order's WriteBack rows are exactly <paramref name="keys"/>, each done (not pending, no case).</summary>
    private async Task<IReadOnlyList<TableEntity>> WaitForWriteBacksAsync(string orderId, string[] keys, TimeSpan? timeout = null)
    {
        var table = host.Table(TableNames.WriteBack);
        var rows = await Poll.UntilAsync(
            async () =>
            {
                var found = new List<TableEntity>();
                await foreach (var row in table.QueryAsync<TableEntity>(r => r.PartitionKey == TableKeys.Encode(orderId)))
                {
                    found.Add(row);
                }

                return found;
            },
            found => found.Count == keys.Length && found.All(r => r.GetBoolean("Pending") == false),
            $"write-backs {string.Join(", ", keys)} of {orderId} done",
            timeout);
        Assert.Equal(keys.Order(StringComparer.Ordinal), rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.True(string.IsNullOrEmpty(r.GetString("CaseId")), $"{r.RowKey} was refused: {r.GetString("LastError")}"));
        return rows;
    }
}
