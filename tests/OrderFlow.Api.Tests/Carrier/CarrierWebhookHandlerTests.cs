using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Integrations.Tests.Carrier;
using OrderFlow.Api.Tests.Infrastructure;
using OrderFlow.Api.Cases;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Carrier;

/// <summary>
/// The carrier tracking webhook on Azurite (deliveries, orders, tracking index, email outbox), with EasyPost events
/// signed the way EasyPost signs them; only the SMTP sender is a mock.
/// </summary>
public sealed class CarrierWebhookHandlerTests : IClassFixture<StorageFixture>
{
    private const string Secret = "easypost-webhook-secret-0123";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private readonly TableDeliveryStore deliveries;
    private readonly TableOrderStore orders;
    private readonly Mock<IEmailSender> email = new();
    private readonly List<EmailMessage> sent = [];
    private readonly StorageFixture storage;
    private readonly TableExceptionQueue cases;
    private readonly ManualClock clock = new(Now);
    private readonly CarrierWebhookHandler handler;

    public CarrierWebhookHandlerTests(StorageFixture storage)
    {
        this.storage = storage;
        deliveries = new TableDeliveryStore(storage.Tables, NullLogger<TableDeliveryStore>.Instance);
        orders = new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance);
        cases = new TableExceptionQueue(storage.Tables, Mock.Of<IApproverAlert>(), TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback<EmailMessage, CancellationToken>((m, _) => sent.Add(m))
            .ReturnsAsync("<message@test>");
        handler = Handler(Secret);
    }

    [Fact]
    public async Task PostAsync_BadSignature_401RecordedAndNothingChanged()
    {
        var (order, fulfillmentId, tracking) = await ShippedOrderAsync();
        var payload = TrackerEvent(NewEventId(), tracking, "delivered");
        var forged = "hmac-sha256-hex=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("not-the-secret"), Encoding.UTF8.GetBytes(payload)));

        var result = await handler.PostAsync(Post(payload, forged), CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        var recorded = await deliveries.GetAsync(CarrierWebhookHandler.Source, EventId(payload));
        Assert.Equal(DeliveryOutcomes.RejectedSignature, recorded!.Outcome);
        Assert.Equal(payload, recorded.RawPayload);
        Assert.Equal("shipped", await StatusOfAsync(order.OrderId, fulfillmentId));
        Assert.Empty(sent);
    }

    [Fact]
    public async Task PostAsync_MissingSignatureOrSecretNotSet_401Or503()
    {
        var (_, _, tracking) = await ShippedOrderAsync();
        var payload = TrackerEvent(NewEventId(), tracking, "in_transit");

        var unsigned = await handler.PostAsync(Post(payload, null), CancellationToken.None);
        var unset = await Handler("UNSET").PostAsync(Post(payload, Sign(payload, "UNSET")), CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(unsigned).StatusCode);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, Assert.IsAssignableFrom<IStatusCodeHttpResult>(unset).StatusCode);
    }

    [Fact]
    public async Task PostAsync_SameEventTwice_SecondIsDuplicateAndAppliedOnce()
    {
        var (order, fulfillmentId, tracking) = await ShippedOrderAsync();
        var payload = TrackerEvent(NewEventId(), tracking, "delivered");

        var first = await handler.PostAsync(Post(payload), CancellationToken.None);
        var second = await handler.PostAsync(Post(payload), CancellationToken.None);

        Assert.Equal(new CarrierEventResponse(EventId(payload), CarrierWebhookHandler.Applied, order.OrderId, fulfillmentId), Ok(first));
        Assert.Equal(DeliveryOutcomes.Duplicate, Ok(second).Status);
        var record = await orders.GetAsync(order.OrderId);
        Assert.Single(record!.Timeline, t => t.Kind == "tracking");
        Assert.Single(sent);
        Assert.Equal(DeliveryOutcomes.Accepted, (await deliveries.GetAsync(CarrierWebhookHandler.Source, EventId(payload)))!.Outcome);
    }

    [Fact]
    public async Task PostAsync_SameEventConcurrently_AppliedNotedAndEmailedOnceNever500()
    {
        var (order, fulfillmentId, tracking) = await ShippedOrderAsync();
        var payload = TrackerEvent(NewEventId(), tracking, "delivered");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => handler.PostAsync(Post(payload), CancellationToken.None))));

        // One delivery records the event; each other one is a duplicate, or a 409 while that one is still sending the email.
        var answers = results.Select(r => r is Ok<CarrierEventResponse> ok ? ok.Value!.Status : $"{Assert.IsType<ProblemHttpResult>(r).StatusCode}").ToList();
        Assert.Equal(1, answers.Count(a => a is CarrierWebhookHandler.Applied or CarrierWebhookHandler.Unchanged));
        Assert.All(answers.Where(a => a is not (CarrierWebhookHandler.Applied or CarrierWebhookHandler.Unchanged)), a => Assert.Contains(a, new[] { DeliveryOutcomes.Duplicate, "409" }));
        Assert.Equal("delivered", await StatusOfAsync(order.OrderId, fulfillmentId));
        Assert.Single((await orders.GetAsync(order.OrderId))!.Timeline, t => t.Kind == "tracking");
        Assert.Single(sent);

        var redelivered = Ok(await handler.PostAsync(Post(payload), CancellationToken.None));
        Assert.Equal(DeliveryOutcomes.Duplicate, redelivered.Status);
    }

    [Fact]
    public async Task PostAsync_StatusProgression_MovesForwardAndALateInTransitIsRecordedNotApplied()
    {
        var (order, fulfillmentId, tracking) = await ShippedOrderAsync();

        var inTransit = Ok(await handler.PostAsync(Post(TrackerEvent(NewEventId(), tracking, "in_transit")), CancellationToken.None));
        Assert.Equal((CarrierWebhookHandler.Applied, "in-transit"), (inTransit.Status, await StatusOfAsync(order.OrderId, fulfillmentId)));
        Assert.Empty(sent);

        var outForDelivery = Ok(await handler.PostAsync(Post(TrackerEvent(NewEventId(), tracking, "out_for_delivery")), CancellationToken.None));
        Assert.Equal((CarrierWebhookHandler.Applied, "out-for-delivery"), (outForDelivery.Status, await StatusOfAsync(order.OrderId, fulfillmentId)));

        var delivered = Ok(await handler.PostAsync(Post(TrackerEvent(NewEventId(), tracking, "delivered")), CancellationToken.None));
        Assert.Equal((CarrierWebhookHandler.Applied, "delivered"), (delivered.Status, await StatusOfAsync(order.OrderId, fulfillmentId)));

        var lateEventId = NewEventId();
        var late = Ok(await handler.PostAsync(Post(TrackerEvent(lateEventId, tracking, "in_transit")), CancellationToken.None));
        Assert.Equal((CarrierWebhookHandler.Stale, "delivered"), (late.Status, await StatusOfAsync(order.OrderId, fulfillmentId)));

        var record = await orders.GetAsync(order.OrderId);
        var notes = record!.Timeline.Where(t => t.Kind == "tracking").Select(t => t.Message).ToList();
        Assert.Equal(4, notes.Count);
        Assert.Contains(notes, n => n.Contains("in-transit", StringComparison.Ordinal) && n.Contains("not applied", StringComparison.Ordinal));
        Assert.Equal(
            [$"{order.OrderId}:{Milestone.OutForDelivery}:{fulfillmentId}#out-for-delivery", $"{order.OrderId}:{Milestone.Delivered}:{fulfillmentId}#delivered"],
            sent.Select(m => m.NotificationKey));
        Assert.Equal(DeliveryOutcomes.Accepted, (await deliveries.GetAsync(CarrierWebhookHandler.Source, lateEventId))!.Outcome);
    }

    [Fact]
    public async Task PostAsync_SameStatusFromTwoEvents_CustomerNotifiedOnce()
    {
        var (order, fulfillmentId, tracking) = await ShippedOrderAsync();

        var first = Ok(await handler.PostAsync(Post(TrackerEvent(NewEventId(), tracking, "out_for_delivery")), CancellationToken.None));
        var second = Ok(await handler.PostAsync(Post(TrackerEvent(NewEventId(), tracking, "out_for_delivery")), CancellationToken.None));

        Assert.Equal((CarrierWebhookHandler.Applied, CarrierWebhookHandler.Unchanged), (first.Status, second.Status));
        var message = Assert.Single(sent);
        Assert.Equal($"{order.OrderId}:{Milestone.OutForDelivery}:{fulfillmentId}#out-for-delivery", message.NotificationKey);
        Assert.Equal(TestOrders.Email, message.ToAddress);
    }

    [Fact]
    public async Task PostAsync_CarrierFailure_DeliveryExceptionAndDelayedEmail()
    {
        var (order, fulfillmentId, tracking) = await ShippedOrderAsync();

        var result = Ok(await handler.PostAsync(Post(TrackerEvent(NewEventId(), tracking, "return_to_sender")), CancellationToken.None));

        Assert.Equal(CarrierWebhookHandler.Applied, result.Status);
        Assert.Equal("delivery-exception", await StatusOfAsync(order.OrderId, fulfillmentId));
        Assert.Equal($"{order.OrderId}:{Milestone.Delayed}:{fulfillmentId}#delivery-exception", Assert.Single(sent).NotificationKey);
    }

    [Fact]
    public async Task PostAsync_ReturnToSenderPostedTwice_OneDeliveryExceptionCaseWithoutPii()
    {
        var (order, fulfillmentId, tracking) = await ShippedOrderAsync();
        var payload = TrackerEvent(NewEventId(), tracking, "return_to_sender");

        await handler.PostAsync(Post(payload), CancellationToken.None);
        await handler.PostAsync(Post(payload), CancellationToken.None);
        Ok(await handler.PostAsync(Post(TrackerEvent(NewEventId(), tracking, "return_to_sender")), CancellationToken.None));

        var c = Assert.Single(await CasesOfAsync(order.OrderId));
        Assert.Equal($"{order.OrderId}-delivery-{fulfillmentId}-1", c.CaseId);
        Assert.Equal(ExceptionReason.DeliveryException, c.Reason);
        Assert.Equal([CaseResolution.Approve], c.AllowedResolutions);
        Assert.False(c.AwaitsWorkflow);
        Assert.Contains(fulfillmentId, c.Error, StringComparison.Ordinal);
        Assert.Contains(tracking, c.Error, StringComparison.Ordinal);
        Assert.Contains("return_to_sender/status_update", c.Error, StringComparison.Ordinal);
        foreach (var pii in new[] { TestOrders.Email, "Jane", "Doe", "350 Fifth Avenue", "10118", "555-0147" })
        {
            Assert.DoesNotContain(pii, c.Error, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Single((await orders.GetAsync(order.OrderId))!.Timeline, t => t.Kind == "case" && t.Message.Contains(c.CaseId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostAsync_ReturnToSenderConcurrently_OneCase()
    {
        var (order, fulfillmentId, tracking) = await ShippedOrderAsync();
        var payload = TrackerEvent(NewEventId(), tracking, "failure");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => handler.PostAsync(Post(payload), CancellationToken.None))));

        Assert.Equal($"{order.OrderId}-delivery-{fulfillmentId}-1", Assert.Single(await CasesOfAsync(order.OrderId)).CaseId);
    }

    [Fact]
    public async Task PostAsync_InTransitAndDelivered_NoCase()
    {
        var (order, _, tracking) = await ShippedOrderAsync();

        Ok(await handler.PostAsync(Post(TrackerEvent(NewEventId(), tracking, "in_transit")), CancellationToken.None));
        Ok(await handler.PostAsync(Post(TrackerEvent(NewEventId(), tracking, "delivered")), CancellationToken.None));

        Assert.Empty(await CasesOfAsync(order.OrderId));
    }

    [Fact]
    public async Task PostAsync_ExceptionAgainAfterTheParcelMoved_SecondCase()
    {
        var (order, fulfillmentId, tracking) = await ShippedOrderAsync();

        foreach (var status in new[] { "failure", "in_transit", "return_to_sender", "return_to_sender" })
        {
            clock.Advance(TimeSpan.FromHours(1));
            Ok(await handler.PostAsync(Post(TrackerEvent(NewEventId(), tracking, status)), CancellationToken.None));
        }

        Assert.Equal(
            [$"{order.OrderId}-delivery-{fulfillmentId}-1", $"{order.OrderId}-delivery-{fulfillmentId}-2"],
            (await CasesOfAsync(order.OrderId)).Select(c => c.CaseId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DeliveryExceptionCase_Approved_ResolvedWithoutAWorkflow()
    {
        var (order, _, tracking) = await ShippedOrderAsync();
        Ok(await handler.PostAsync(Post(TrackerEvent(NewEventId(), tracking, "return_to_sender")), CancellationToken.None));
        var c = Assert.Single(await CasesOfAsync(order.OrderId));
        var workflows = new Mock<IWorkflowClient>(MockBehavior.Strict);

        var outcome = await new CaseDecisionService(cases, TimeProvider.System, NullLogger<CaseDecisionService>.Instance)
            .DecideAsync(c, CaseResolution.Approve, "ops@example.com", "Carrier reshipping.", workflows.Object, CancellationToken.None);

        Assert.Equal(CaseDecisionOutcome.Resolved, outcome);
        var stored = await cases.GetAsync(c.CaseId);
        Assert.Equal((CaseStatuses.Resolved, CaseResolution.Approve), (stored!.Status, stored.Resolution));
        workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task PostAsync_UnknownTrackingCode_RecordedAsUnmatchedWithItsPayload()
    {
        var payload = TrackerEvent(NewEventId(), $"EZ{Guid.NewGuid():N}", "delivered");

        var result = Ok(await handler.PostAsync(Post(payload), CancellationToken.None));

        Assert.Equal(new CarrierEventResponse(EventId(payload), DeliveryOutcomes.Unmatched, null, null), result);
        var recorded = await deliveries.GetAsync(CarrierWebhookHandler.Source, EventId(payload));
        Assert.Equal(DeliveryOutcomes.Unmatched, recorded!.Outcome);
        Assert.Equal(payload, recorded.RawPayload);
        Assert.Empty(sent);
    }

    [Fact]
    public async Task PostAsync_StatusNotFollowed_RecordedAndIgnored()
    {
        var (order, fulfillmentId, tracking) = await ShippedOrderAsync();
        var payload = TrackerEvent(NewEventId(), tracking, "pre_transit");

        var result = Ok(await handler.PostAsync(Post(payload), CancellationToken.None));

        Assert.Equal(CarrierWebhookHandler.Ignored, result.Status);
        Assert.Equal("shipped", await StatusOfAsync(order.OrderId, fulfillmentId));
        Assert.Equal(DeliveryOutcomes.Accepted, (await deliveries.GetAsync(CarrierWebhookHandler.Source, EventId(payload)))!.Outcome);
    }

    [Theory]
    [InlineData("shipped", "in-transit", true)]
    [InlineData("in-transit", "in-transit", false)]
    [InlineData("out-for-delivery", "in-transit", false)]
    [InlineData("delivered", "delivery-exception", false)]
    [InlineData("out-for-delivery", "delivery-exception", true)]
    [InlineData("delivery-exception", "in-transit", true)]
    [InlineData("cancelled", "delivered", false)]
    public void Advances_ForwardOnly(string current, string next, bool expected) =>
        Assert.Equal(expected, TrackingProgress.Advances(current, next));

    private CarrierWebhookHandler Handler(string secret) => new(
        deliveries,
        deliveries,
        orders,
        orders,
        new CustomerNotifier(orders, storage.Tables, email.Object, Microsoft.Extensions.Options.Options.Create(TestStore.Options()), TestStore.StatusLinks(), new OrderFlow.Integrations.Storage.ClaimHolder("test-worker", SoleProcessPerWorker: false), TimeProvider.System, NullLogger<CustomerNotifier>.Instance),
        cases,
        Microsoft.Extensions.Options.Options.Create(new CarrierWebhookOptions { WebhookSecret = secret }),
        Microsoft.Extensions.Options.Options.Create(new IntakeOptions()),
        clock,
        NullLogger<CarrierWebhookHandler>.Instance);

    private async Task<(Order Order, string FulfillmentId, string Tracking)> ShippedOrderAsync()
    {
        var order = TestOrders.Create();
        await orders.CreateAsync(order, Now);
        var fulfillmentId = OrderIds.Fulfillment(order.OrderId, 1);
        var tracking = $"9405{Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999)}";
        await orders.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(
            fulfillmentId, "WH-EAST", [new FulfillmentLine("SKU-MUG", 2), new FulfillmentLine("SKU-TEE", 1)], "shipped", "USPS", tracking, EasyPostJson.PublicUrl, EasyPostJson.LabelUrl));
        return (order, fulfillmentId, tracking);
    }

    private async Task<List<ExceptionCase>> CasesOfAsync(string orderId) =>
        (await cases.ListOpenAsync()).Where(c => c.OrderId == orderId).ToList();

    private async Task<string> StatusOfAsync(string orderId, string fulfillmentId) =>
        Assert.Single((await orders.GetAsync(orderId))!.Fulfillments, f => f.FulfillmentId == fulfillmentId).Status;

    private static CarrierEventResponse Ok(IResult result) => Assert.IsType<Ok<CarrierEventResponse>>(result).Value!;

    private static string NewEventId() => $"evt_{Guid.NewGuid():N}";

    private static string EventId(string payload) => System.Text.Json.JsonDocument.Parse(payload).RootElement.GetProperty("id").GetString()!;

    /// <summary>X-Hmac-Signature as EasyPost builds it: "hmac-sha256-hex=" + hex HMAC-SHA256 of the body, keyed by the NFKD form of the secret.</summary>
    private static string Sign(string payload, string secret = Secret) =>
        "hmac-sha256-hex=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret.Normalize(NormalizationForm.FormKD)), Encoding.UTF8.GetBytes(payload)));

    private static HttpRequest Post(string payload) => Post(payload, Sign(payload));

    private static HttpRequest Post(string payload, string? signature) => TestRequests.JsonPost(payload, CarrierWebhookHandler.SignatureHeader, signature);

    /// <summary>An EasyPost Event whose result is a Tracker, as sent to webhooks.</summary>
    private static string TrackerEvent(string eventId, string trackingCode, string status) => $$$"""
        {"id":"{{{eventId}}}","object":"Event","mode":"test","description":"tracker.updated","previous_attributes":{"status":"unknown"},
         "created_at":"2026-11-26T11:59:58Z","updated_at":"2026-11-26T11:59:58Z","pending_urls":["https://example.com/api/webhooks/carrier"],"completed_urls":[],
         "user_id":"user_060ab38db3c04ffaa60f262e5781a9be","status":"pending",
         "result":{"id":"trk_c8e0edb5bb284caa934a0d3db23a148z","object":"Tracker","mode":"test","tracking_code":"{{{trackingCode}}}",
           "status":"{{{status}}}","status_detail":"status_update","created_at":"2026-11-24T09:00:00Z","updated_at":"2026-11-26T11:59:58Z",
           "signed_by":null,"weight":null,"est_delivery_date":"2026-11-27T00:00:00Z","shipment_id":"shp_93170d48eb1a413aa5c0d8bf4384a350","carrier":"USPS",
           "tracking_details":[
             {"object":"TrackingDetail","message":"Shipping Label Created","description":null,"status":"pre_transit","status_detail":"status_update",
              "datetime":"2026-11-24T09:00:00Z","source":"USPS","carrier_code":null,"tracking_location":{"object":"TrackingLocation","city":"SAN FRANCISCO","state":"CA","country":null,"zip":"94104"}},
             {"object":"TrackingDetail","message":"Update","description":null,"status":"{{{status}}}","status_detail":"status_update",
              "datetime":"2026-11-26T11:59:00Z","source":"USPS","carrier_code":null,"tracking_location":{"object":"TrackingLocation","city":"NEW YORK","state":"NY","country":null,"zip":"10118"}}],
           "fees":[],"carrier_detail":null,"public_url":"https://track.easypost.com/djE6dHJrX2M4ZTBlZGI1YmIyODRjYWE5MzRhMGQzZGIyM2ExNDh6"} }
        """;
}
