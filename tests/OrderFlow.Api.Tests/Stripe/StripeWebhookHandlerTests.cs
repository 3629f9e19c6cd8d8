using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Stripe;

/// <summary>The Stripe webhook handler on Azurite, with signatures computed the way Stripe computes them.</summary>
public sealed class StripeWebhookHandlerTests : IClassFixture<StorageFixture>
{
    private const string Secret = "whsec_test_0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private readonly TableDeliveryStore deliveries;
    private readonly TablePaymentEventStore payments;
    private readonly StripeWebhookHandler handler;
    private readonly Mock<IWorkflowClient> workflows = new();

    public StripeWebhookHandlerTests(StorageFixture storage)
    {
        var clock = new FixedClock(Now);
        deliveries = new TableDeliveryStore(storage.Tables, NullLogger<TableDeliveryStore>.Instance);
        payments = new TablePaymentEventStore(storage.Tables, clock, NullLogger<TablePaymentEventStore>.Instance);
        handler = new StripeWebhookHandler(
            deliveries,
            deliveries,
            payments,
            new PaymentEventRelay(payments, NullLogger<PaymentEventRelay>.Instance),
            Microsoft.Extensions.Options.Options.Create(new StripeWebhookOptions { WebhookSecret = Secret }),
            Microsoft.Extensions.Options.Options.Create(new IntakeOptions()),
            clock,
            NullLogger<StripeWebhookHandler>.Instance);
    }

    [Fact]
    public async Task PostAsync_GoodSignatureKnownRunningOrder_RaisesPaymentEventAndRecordsAccepted()
    {
        var (eventId, intentId, orderId) = NewIds();
        await payments.RecordOrderAsync(intentId, orderId);
        Running(orderId);
        var payload = IntentEvent(eventId, "payment_intent.succeeded", intentId);

        var result = await handler.PostAsync(Request(payload, Sign(payload, Now)), workflows.Object, CancellationToken.None);

        var ok = Assert.IsType<Ok<PaymentEventResponse>>(result);
        Assert.Equal(new PaymentEventResponse(eventId, "accepted", orderId), ok.Value);
        workflows.Verify(w => w.RaiseEventAsync(
            orderId,
            "PaymentEvent-payment_intent.succeeded",
            It.Is<PaymentEventNotice>(n => n.EventId == eventId && n.PaymentIntentId == intentId && n.Amount == new Domain.Common.Money(5451, "USD")),
            It.IsAny<CancellationToken>()), Times.Once);
        var recorded = await deliveries.GetAsync(StripeWebhookHandler.Source, eventId);
        Assert.Equal(DeliveryOutcomes.Accepted, recorded!.Outcome);
        Assert.Equal(orderId, recorded.OrderId);
        Assert.Equal(payload, recorded.RawPayload);
        Assert.Empty(await payments.GetPendingAsync(intentId));
    }

    [Fact]
    public async Task PostAsync_BadSignature_401AndRecordedAsRejected()
    {
        var (eventId, intentId, _) = NewIds();
        var payload = IntentEvent(eventId, "payment_intent.succeeded", intentId);
        var header = Sign(payload, Now).Replace("v1=", "v1=00", StringComparison.Ordinal);

        var result = await handler.PostAsync(Request(payload, header), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        var recorded = await deliveries.GetAsync(StripeWebhookHandler.Source, eventId);
        Assert.Equal(DeliveryOutcomes.RejectedSignature, recorded!.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(recorded.Reason));
        Assert.Empty(await payments.GetPendingAsync(intentId));
        workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task PostAsync_SignatureOlderThanTolerance_401AndRecordedAsRejected()
    {
        var (eventId, intentId, _) = NewIds();
        var payload = IntentEvent(eventId, "payment_intent.succeeded", intentId);

        var result = await handler.PostAsync(Request(payload, Sign(payload, Now.AddSeconds(-301))), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        var recorded = await deliveries.GetAsync(StripeWebhookHandler.Source, eventId);
        Assert.Equal(DeliveryOutcomes.RejectedSignature, recorded!.Outcome);
        Assert.Contains("tolerance", recorded.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PostAsync_SignatureWithinTolerance_Accepted()
    {
        var (eventId, intentId, _) = NewIds();
        var payload = IntentEvent(eventId, "payment_intent.succeeded", intentId);

        var result = await handler.PostAsync(Request(payload, Sign(payload, Now.AddSeconds(-299))), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status200OK, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
    }

    [Fact]
    public async Task PostAsync_NoSignatureHeader_401()
    {
        var (eventId, intentId, _) = NewIds();
        var payload = IntentEvent(eventId, "payment_intent.succeeded", intentId);

        var result = await handler.PostAsync(Request(payload, null), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
    }

    [Fact]
    public async Task PostAsync_SameEventTwice_SecondIsDuplicateAndRaisedOnce()
    {
        var (eventId, intentId, orderId) = NewIds();
        await payments.RecordOrderAsync(intentId, orderId);
        Running(orderId);
        var payload = IntentEvent(eventId, "payment_intent.payment_failed", intentId);

        await handler.PostAsync(Request(payload, Sign(payload, Now)), workflows.Object, CancellationToken.None);
        var second = await handler.PostAsync(Request(payload, Sign(payload, Now)), workflows.Object, CancellationToken.None);

        var ok = Assert.IsType<Ok<PaymentEventResponse>>(second);
        Assert.Equal("duplicate", ok.Value!.Status);
        workflows.Verify(w => w.RaiseEventAsync(orderId, "PaymentEvent-payment_intent.payment_failed", It.Is<PaymentEventNotice>(n => n.Reason == "card_declined: insufficient_funds"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PostAsync_UnknownPaymentIntent_StoredPendingThenRelayedWhenIntakeStartsTheOrder()
    {
        var (eventId, intentId, orderId) = NewIds();
        var payload = ChargeEvent(eventId, "charge.refunded", intentId);

        var result = await handler.PostAsync(Request(payload, Sign(payload, Now)), workflows.Object, CancellationToken.None);

        var ok = Assert.IsType<Ok<PaymentEventResponse>>(result);
        Assert.Equal(new PaymentEventResponse(eventId, "pending", null), ok.Value);
        var pending = Assert.Single(await payments.GetPendingAsync(intentId));
        Assert.Equal(new Domain.Common.Money(2000, "USD"), pending.Amount);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);

        // What the order intake does: index the intent while it starts the workflow, then relay what was held to the bound order.
        var bound = await payments.RecordOrderAsync(intentId, orderId);
        await new PaymentEventRelay(payments, NullLogger<PaymentEventRelay>.Instance).RelayToAsync(intentId, bound, workflows.Object, CancellationToken.None);

        Assert.Equal(orderId, bound);
        workflows.Verify(w => w.RaiseEventAsync(orderId, "PaymentEvent-charge.refunded", It.Is<PaymentEventNotice>(n => n.EventId == eventId), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(await payments.GetPendingAsync(intentId));
    }

    [Fact]
    public async Task PostAsync_OrderKnownButWorkflowNotStarted_HeldPending()
    {
        var (eventId, intentId, orderId) = NewIds();
        await payments.RecordOrderAsync(intentId, orderId);
        var payload = IntentEvent(eventId, "payment_intent.succeeded", intentId);

        var result = await handler.PostAsync(Request(payload, Sign(payload, Now)), workflows.Object, CancellationToken.None);

        Assert.Equal("pending", Assert.IsType<Ok<PaymentEventResponse>>(result).Value!.Status);
        Assert.Single(await payments.GetPendingAsync(intentId));
    }

    [Fact]
    public async Task PostAsync_EventTypeNotRelayed_RecordedAndIgnored()
    {
        var (eventId, intentId, _) = NewIds();
        var payload = IntentEvent(eventId, "payment_intent.created", intentId);

        var result = await handler.PostAsync(Request(payload, Sign(payload, Now)), workflows.Object, CancellationToken.None);

        Assert.Equal("ignored", Assert.IsType<Ok<PaymentEventResponse>>(result).Value!.Status);
        Assert.Equal(DeliveryOutcomes.Accepted, (await deliveries.GetAsync(StripeWebhookHandler.Source, eventId))!.Outcome);
        Assert.Empty(await payments.GetPendingAsync(intentId));
    }

    [Fact]
    public async Task PostAsync_SecretIsDeploymentPlaceholder_503AndRecorded()
    {
        var (eventId, intentId, _) = NewIds();
        var payload = IntentEvent(eventId, "payment_intent.succeeded", intentId);
        var unset = new StripeWebhookHandler(
            deliveries,
            deliveries,
            payments,
            new PaymentEventRelay(payments, NullLogger<PaymentEventRelay>.Instance),
            Microsoft.Extensions.Options.Options.Create(new StripeWebhookOptions { WebhookSecret = "UNSET" }),
            Microsoft.Extensions.Options.Options.Create(new IntakeOptions()),
            new FixedClock(Now),
            NullLogger<StripeWebhookHandler>.Instance);

        // Signed with the placeholder itself: must not be trusted.
        var t = Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("UNSET"), Encoding.UTF8.GetBytes($"{t}.{payload}")));
        var result = await unset.PostAsync(Request(payload, $"t={t},v1={mac}"), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Equal(DeliveryOutcomes.RejectedSignature, (await deliveries.GetAsync(StripeWebhookHandler.Source, eventId))!.Outcome);
        Assert.Empty(await payments.GetPendingAsync(intentId));
    }

    [Theory]
    [InlineData("payment_intent.succeeded", """{"id":"pi_9","object":"payment_intent","amount":5451,"amount_received":5451,"currency":"usd","status":"succeeded"}""", 5451, null)]
    [InlineData("payment_intent.payment_failed", """{"id":"pi_9","object":"payment_intent","amount":5451,"amount_received":0,"currency":"usd","status":"requires_payment_method","last_payment_error":{"type":"card_error","code":"expired_card"}}""", 5451, "expired_card")]
    [InlineData("charge.refunded", """{"id":"ch_9","object":"charge","amount":5451,"amount_refunded":5451,"currency":"usd","refunded":true,"payment_intent":"pi_9"}""", 5451, null)]
    [InlineData("charge.dispute.created", """{"id":"dp_9","object":"dispute","amount":5451,"currency":"usd","reason":"fraudulent","status":"needs_response","charge":"ch_9","payment_intent":"pi_9"}""", 5451, "fraudulent")]
    public void ToNotice_RelayedTypes_FindPaymentIntentAmountAndReason(string type, string dataObject, long amount, string? reason)
    {
        var json = $$"""{"id":"evt_9","object":"event","api_version":"2025-08-27.basil","created":1795262400,"livemode":false,"pending_webhooks":1,"type":"{{type}}","data":{"object":{{dataObject}} } }""";

        var notice = StripeWebhookHandler.ToNotice(global::Stripe.EventUtility.ParseEvent(json, throwOnApiVersionMismatch: false), json);

        Assert.NotNull(notice);
        Assert.Equal(("evt_9", type, "pi_9"), (notice.EventId, notice.Type, notice.PaymentIntentId));
        Assert.Equal(new Domain.Common.Money(amount, "USD"), notice.Amount);
        Assert.Equal(reason, notice.Reason);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795262400), notice.OccurredAt);
    }

    [Fact]
    public void ToNotice_ChargeWithoutPaymentIntent_Null()
    {
        const string json = """{"id":"evt_8","object":"event","created":1795262400,"type":"charge.refunded","data":{"object":{"id":"ch_8","object":"charge","amount":100,"currency":"usd","payment_intent":null} } }""";

        Assert.Null(StripeWebhookHandler.ToNotice(global::Stripe.EventUtility.ParseEvent(json, throwOnApiVersionMismatch: false), json));
    }

    private void Running(string orderId) =>
        workflows.Setup(w => w.GetStatusAsync(orderId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowStatus(orderId, "Running", null, null, Now));

    private static (string EventId, string IntentId, string OrderId) NewIds()
    {
        var n = Guid.NewGuid().ToString("N")[..16];
        return ($"evt_{n}", $"pi_{n}", $"shopify-{n}");
    }

    /// <summary>Stripe-Signature as Stripe builds it: t=timestamp, v1=hex HMAC-SHA256 of "{t}.{payload}" keyed by the endpoint secret.</summary>
    private static string Sign(string payload, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{t}.{payload}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    private static HttpRequest Request(string payload, string? signature)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(payload);
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        if (signature is not null)
        {
            context.Request.Headers[StripeWebhookHandler.SignatureHeader] = signature;
        }

        return context.Request;
    }

    private static string IntentEvent(string eventId, string type, string intentId) => $$"""
        {"id":"{{eventId}}","object":"event","api_version":"2025-08-27.basil","created":1795262400,"livemode":false,"pending_webhooks":1,
         "request":{"id":null,"idempotency_key":null},"type":"{{type}}",
         "data":{"object":{"id":"{{intentId}}","object":"payment_intent","amount":5451,"amount_received":5451,"currency":"usd","status":"succeeded",
           "last_payment_error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds"} } } }
        """;

    private static string ChargeEvent(string eventId, string type, string intentId) => $$"""
        {"id":"{{eventId}}","object":"event","api_version":"2025-08-27.basil","created":1795262400,"livemode":false,"pending_webhooks":1,
         "request":{"id":null,"idempotency_key":null},"type":"{{type}}",
         "data":{"object":{"id":"ch_{{intentId}}","object":"charge","amount":5451,"amount_refunded":2000,"currency":"usd","refunded":false,
           "payment_intent":"{{intentId}}"} } }
        """;

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
