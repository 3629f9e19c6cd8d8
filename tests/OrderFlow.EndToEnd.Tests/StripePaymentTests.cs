using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderFlow.EndToEnd.Tests.Contracts;
using OrderFlow.EndToEnd.Tests.Infrastructure;

namespace OrderFlow.EndToEnd.Tests;

/// <summary>
/// Orders paid through Stripe on a host of their own (Adapters__Payment=Stripe, the Stripe API played by WireMock):
/// verification before fulfillment, capture when the goods ship, a payment failure reported by webhook, a refund on cancel.
/// Each test has its own PaymentIntent and SKUs (both lines at one location: a single fulfillment F1).
/// </summary>
public sealed class StripePaymentTests(StripeHostFixture host, ITestOutputHelper output) : IClassFixture<StripeHostFixture>
{
    /// <summary>The sample order's total (total_price 54.51 USD) in minor units.</summary>
    private const long OrderTotal = 5451;

    [Fact]
    public Task AuthorizedIntent_OrderShips_CapturesTheTotalOnceUnderOneIdempotencyKey() => host.RunAsync(output, async () =>
    {
        var intent = NewIntentId();
        host.StubIntent(intent, "requires_capture", OrderTotal);
        host.StubCaptureFailingOnce(intent, OrderTotal);
        var (order, mug, tee) = await PlaceOrderAsync(intent);

        var awaiting = await host.Api.WaitForOrderAsync(order.OrderId, o => o.Fulfillments.Any(f => f.Status == "awaiting-confirmation"), "F1 awaiting confirmation");

        // Verified through Stripe (the intent read with its latest charge, for the Radar outcome) before anything was reserved.
        var verify = host.Stripe.LogEntries.First(e => e.RequestMessage.Method == "GET" && e.RequestMessage.Path == $"/v1/payment_intents/{intent}");
        Assert.Contains("latest_charge", Uri.UnescapeDataString(verify.RequestMessage.Url), StringComparison.Ordinal);
        Assert.Equal($"Bearer {StripeHostFixture.ApiKey}", verify.RequestMessage.Headers!["Authorization"].Single());
        Assert.Contains(awaiting.Timeline, t => t.Message.Contains("-> PaymentConfirmed", StringComparison.Ordinal));
        Assert.Empty(host.CaptureRequests(intent));

        await host.Warehouse.ShipAsync(host.Api, order.OrderId, Stock.East);
        var done = await host.Api.WaitForCompletionAsync(order.OrderId, "Fulfilled");

        // The first capture met Stripe's 500 and was retried under the same key; only the retry captured, the full total.
        Assert.Equal(new MoneyResponse(OrderTotal, "USD", done.Total!.Display), done.Total);
        var attempts = host.CaptureRequests(intent);
        Assert.Equal([500, 200], attempts.Select(a => Convert.ToInt32(a.ResponseMessage.StatusCode, CultureInfo.InvariantCulture)));
        var captured = StripeHostFixture.Form(attempts[1]);
        Assert.Equal(OrderTotal.ToString(CultureInfo.InvariantCulture), captured["amount_to_capture"]);
        Assert.Equal("true", captured["final_capture"]);
        var key = $"{order.OrderId}:capture-{order.FulfillmentId(1)}";
        Assert.All(attempts, a => Assert.Equal(key, StripeHostFixture.IdempotencyKeyOf(a)));
        Assert.Equal(StripeHostFixture.Form(attempts[0]), captured);
        Assert.Empty(host.RefundRequests(intent));
        StockAssert.Committed(await host.Api.GetStockAsync(mug), Stock.East, onHand: 3 - 2);
        StockAssert.Committed(await host.Api.GetStockAsync(tee), Stock.East, onHand: 3 - 1);
    });

    [Fact]
    public Task PaymentFailedWebhookBeforeShipment_HoldsTheOrderWithAPaymentFailedCaseAndCapturesNothing() => host.RunAsync(output, async () =>
    {
        var intent = NewIntentId();
        host.StubIntent(intent, "requires_capture", OrderTotal);
        var (order, mug, _) = await PlaceOrderAsync(intent);
        var eventId = $"evt_{intent[3..]}";

        using (var delivered = await host.PostStripeEventAsync(StripeHostFixture.PaymentFailedEvent(eventId, intent, OrderTotal)))
        {
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
            var answer = (await delivered.Content.ReadFromJsonAsync<JsonObject>(OrderFlowApi.Json))!;
            Assert.Equal(eventId, (string?)answer["eventId"]);
        }

        // The hold is recorded by an activity, the workflow's "on-hold:{case}" step when its next episode ends: wait for both.
        var held = await host.Api.WaitForOrderAsync(
            order.OrderId,
            o => o.Status == "OnHold" && o.Workflow?.Step?.StartsWith("on-hold:", StringComparison.Ordinal) == true,
            "on hold after payment_intent.payment_failed");
        Assert.DoesNotContain(held.Fulfillments, f => f.Status == "shipped");

        var cases = await ListCasesAsync();
        var paymentCase = Assert.Single(cases.Cases, c => c.OrderId == order.OrderId);
        Assert.Equal("PaymentFailed", paymentCase.Reason);
        Assert.Equal("Open", paymentCase.Status, ignoreCase: true);
        Assert.StartsWith("payment-event-", paymentCase.Step, StringComparison.Ordinal);
        Assert.Contains(eventId, paymentCase.Error, StringComparison.Ordinal);
        Assert.Contains("card_declined: insufficient_funds", paymentCase.Error, StringComparison.Ordinal);
        Assert.Equal($"on-hold:{paymentCase.CaseId}", held.Workflow?.Step);

        // Held means held: nothing captured or refunded, no unit committed (the checkpoint that held it may come before
        // or after the reservation, depending on when the event arrived, so only on-hand is certain).
        Assert.Empty(host.CaptureRequests(intent));
        Assert.Empty(host.RefundRequests(intent));
        Assert.Equal(3, (await host.Api.GetStockAsync(mug)).OnHand);
    });

    [Fact]
    public Task PaymentFailedWebhookBeforeTheOrder_HeldPendingThenRaisedByTheWorkflowsFirstStep_OrderOnHold() => host.RunAsync(output, async () =>
    {
        var intent = NewIntentId();
        host.StubIntent(intent, "requires_capture", OrderTotal);
        var eventId = $"evt_{intent[3..]}";

        // Stripe's event overtakes the store's order: no order names the intent yet, so it is kept pending.
        using (var delivered = await host.PostStripeEventAsync(StripeHostFixture.PaymentFailedEvent(eventId, intent, OrderTotal)))
        {
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
            var answer = (await delivered.Content.ReadFromJsonAsync<JsonObject>(OrderFlowApi.Json))!;
            Assert.Equal("pending", (string?)answer["status"]);
        }

        // Intake answers without reading it (order revision 13); the workflow's first step binds the intent, reads the
        // pending notice and raises it to itself, and the payment checkpoint holds the order.
        var (order, mug, _) = await PlaceOrderAsync(intent);
        var held = await host.Api.WaitForOrderAsync(
            order.OrderId,
            o => o.Status == "OnHold" && o.Workflow?.Step?.StartsWith("on-hold:", StringComparison.Ordinal) == true,
            "on hold after the pending payment_intent.payment_failed");

        var paymentCase = Assert.Single((await ListCasesAsync()).Cases, c => c.OrderId == order.OrderId);
        Assert.Equal("PaymentFailed", paymentCase.Reason);
        Assert.Contains(eventId, paymentCase.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(held.Fulfillments, f => f.Status == "shipped");
        Assert.Empty(host.CaptureRequests(intent));
        Assert.Equal(3, (await host.Api.GetStockAsync(mug)).OnHand);
    });

    [Fact]
    public Task PaidUpFrontIntent_CancelledBeforeShipment_RefundsTheFullAmountOnceAndReleasesStock() => host.RunAsync(output, async () =>
    {
        var intent = NewIntentId();
        host.StubIntent(intent, "succeeded", OrderTotal);
        host.StubRefund(intent, OrderTotal);
        var (order, mug, tee) = await PlaceOrderAsync(intent);
        await host.Api.WaitForOrderAsync(order.OrderId, o => o.Fulfillments.Any(f => f.Status == "awaiting-confirmation"), "F1 awaiting confirmation");
        StockAssert.HeldBy(await host.Api.GetStockAsync(mug), order.OrderId, Stock.East, quantity: 2, onHand: 3);

        using (var cancel = await host.Api.SendAsOperatorAsync(HttpMethod.Post, $"/api/orders/{order.OrderId}/cancel", JsonContent.Create(new { reason = "customer-request" })))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        // The pick list was handed off: the warehouse gets a cancel message on its queue and confirms it stopped.
        var stopped = await host.Warehouse.StopAsync(host.Api, order.OrderId, Stock.East);
        Assert.Equal(("cancel", $"{order.OrderId}:cancel-{stopped.FulfillmentId}"), (stopped.Kind, stopped.IdempotencyKey));
        var done = await host.Api.WaitForCompletionAsync(order.OrderId, "Cancelled");
        Assert.Equal("Cancelled", done.Status);

        var refund = Assert.Single(host.RefundRequests(intent));
        var form = StripeHostFixture.Form(refund);
        Assert.Equal(OrderTotal.ToString(CultureInfo.InvariantCulture), form["amount"]);
        Assert.Equal(intent, form["payment_intent"]);
        Assert.Equal(200, Convert.ToInt32(refund.ResponseMessage.StatusCode, CultureInfo.InvariantCulture));
        Assert.StartsWith($"{order.OrderId}:refund-", StripeHostFixture.IdempotencyKeyOf(refund), StringComparison.Ordinal);
        Assert.Empty(host.CaptureRequests(intent));

        foreach (var sku in new[] { mug, tee })
        {
            var stock = await host.Api.GetStockAsync(sku);
            Assert.Equal(3, stock.OnHand);
            Assert.Equal(0, stock.Reserved);
            Assert.Equal(3, stock.Available);
            Assert.Null(stock.ReservationOf(order.OrderId));
        }
    });

    /// <summary>A PaymentIntent id of this test only, in Stripe's format.</summary>
    private static string NewIntentId() => $"pi_3E2E{Guid.NewGuid():N}"[..27];

    /// <summary>Stocks two SKUs of the test's own at one location and posts the signed sample order paid by <paramref name="intent"/>.</summary>
    private async Task<(TestOrder Order, string Mug, string Tee)> PlaceOrderAsync(string intent)
    {
        var (mug, tee) = (Stock.NewSku("MUG"), Stock.NewSku("TEE"));
        await host.Api.PutStockAsync(mug, "Mug", new Dictionary<string, int> { [Stock.East] = 3 });
        await host.Api.PutStockAsync(tee, "Tee", new Dictionary<string, int> { [Stock.East] = 3 });
        var order = TestOrder.Create(root =>
        {
            TestOrder.WithSkus(mug, tee)(root);
            var attributes = root["note_attributes"]!.AsArray();
            attributes.Single(a => (string?)a!["name"] == "payment_intent_id")!["value"] = intent;
        });

        using var accepted = await host.Api.PostShopifyOrderAsync(order, $"stripe-{order.ShopifyId}");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        return (order, mug, tee);
    }

    private async Task<CaseListResponse> ListCasesAsync()
    {
        using var response = await host.Api.SendAsOperatorAsync(HttpMethod.Get, "/api/cases");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CaseListResponse>(OrderFlowApi.Json))!;
    }
}
