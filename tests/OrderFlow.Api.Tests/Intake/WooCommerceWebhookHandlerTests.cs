using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Api.Cases;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Api.Tests.Infrastructure;
using OrderFlow.Api.Webhooks;
using OrderFlow.Domain.Cases;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Intake;

/// <summary>POST /api/webhooks/woocommerce/orders on Azurite: ping, signature, dedupe, start once, every delivery recorded.</summary>
public sealed class WooCommerceWebhookHandlerTests : IClassFixture<StorageFixture>
{
    private const string Secret = "woocommerce-webhook-secret";

    private readonly TableDeliveryStore deliveries;
    private readonly TableExceptionQueue cases;
    private readonly TableOrderStore orders;
    private readonly Mock<IWorkflowClient> workflows = new();

    public WooCommerceWebhookHandlerTests(StorageFixture storage)
    {
        orders = new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance);
        deliveries = new TableDeliveryStore(storage.Tables, NullLogger<TableDeliveryStore>.Instance);
        cases = new TableExceptionQueue(storage.Tables, Mock.Of<IApproverAlert>(), TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);
        workflows.Setup(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
    }

    [Fact]
    public async Task OrdersAsync_SignedOrderCreated_202StartsWorkflowOnceAndRecordsAccepted()
    {
        var (orderId, body) = Order();
        var deliveryId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersAsync(Request(body, Sign(body), deliveryId), workflows.Object, CancellationToken.None);

        var accepted = Assert.IsType<Accepted<IntakeResponse>>(result);
        Assert.Equal(orderId, accepted.Value!.OrderId);
        Assert.Equal(DeliveryOutcomes.Accepted, accepted.Value.Status);
        workflows.Verify(w => w.StartAsync(nameof(OrderOrchestrator), orderId, It.Is<OrderWorkflowInput>(i => i.Source == "woocommerce" && i.DeliveryId == deliveryId), It.IsAny<CancellationToken>()), Times.Once);
        var recorded = await deliveries.GetAsync("woocommerce", deliveryId);
        Assert.Equal(DeliveryOutcomes.Accepted, recorded!.Outcome);
        Assert.Equal(orderId, recorded.OrderId);
        Assert.Equal("order.created", recorded.Topic);
        Assert.Equal(orderId, (await deliveries.GetOrderAsync("woocommerce", deliveryId))!.OrderId);
    }

    [Fact]
    public async Task OrdersAsync_SameDeliveryTwice_SecondIs200DuplicateAndStartsNothing()
    {
        var (_, body) = Order();
        var deliveryId = Guid.NewGuid().ToString("N");
        await Handler().OrdersAsync(Request(body, Sign(body), deliveryId), workflows.Object, CancellationToken.None);
        workflows.Setup(w => w.GetStatusAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowStatus("x", "Running", null, null, null));

        var second = await Handler().OrdersAsync(Request(body, Sign(body), deliveryId), workflows.Object, CancellationToken.None);

        Assert.Equal(DeliveryOutcomes.Duplicate, Assert.IsType<Ok<IntakeResponse>>(second).Value!.Status);
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task OrdersAsync_SameOrderUnderNewDeliveryId_IsDuplicateOfTheOrder()
    {
        // WooCommerce gives every attempt a new delivery id; the order id (the instance id) still recognises the resend.
        var (orderId, body) = Order();
        await Handler().OrdersAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, CancellationToken.None);
        workflows.Setup(w => w.StartAsync(It.IsAny<string>(), orderId, It.IsAny<object>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var second = await Handler().OrdersAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, CancellationToken.None);

        Assert.Equal(DeliveryOutcomes.Duplicate, Assert.IsType<Ok<IntakeResponse>>(second).Value!.Status);
    }

    [Fact]
    public async Task OrdersAsync_ReusedDeliveryIdWithAnotherOrder_409RecordedAndSecondNotStarted()
    {
        var deliveryId = Guid.NewGuid().ToString("N");
        var (_, first) = Order();
        await Handler().OrdersAsync(Request(first, Sign(first), deliveryId), workflows.Object, CancellationToken.None);
        var (secondOrderId, second) = Order();

        var result = await Handler().OrdersAsync(Request(second, Sign(second), deliveryId), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status409Conflict, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), secondOrderId, It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task OrdersAsync_LongUnsignedDeliveryId_401NotAStorageError()
    {
        var (_, body) = Order();
        var deliveryId = new string('5', 4000);

        var result = await Handler().OrdersAsync(Request(body, "bm90IHRoZSBzaWduYXR1cmU=", deliveryId), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        Assert.Equal(DeliveryOutcomes.RejectedSignature, (await deliveries.GetAsync("woocommerce", deliveryId))!.Outcome);
    }

    [Fact]
    public async Task OrdersAsync_LongSignedDeliveryId_400NamesHeaderAndLimit()
    {
        var (_, body) = Order();

        var result = await Handler().OrdersAsync(Request(body, Sign(body), new string('5', 400)), workflows.Object, CancellationToken.None);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(400, problem.StatusCode);
        Assert.Equal($"{WooCommerceWebhook.DeliveryIdHeader} is 400 characters; at most 256 are accepted.", problem.ProblemDetails.Detail);
        workflows.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("bm90IHRoZSBzaWduYXR1cmU=")]
    [InlineData("")]
    public async Task OrdersAsync_BadSignature_401RecordedAndNothingStarted(string signature)
    {
        var (_, body) = Order();
        var deliveryId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersAsync(Request(body, signature, deliveryId), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        var recorded = await deliveries.GetAsync("woocommerce", deliveryId);
        Assert.Equal(DeliveryOutcomes.RejectedSignature, recorded!.Outcome);
        workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OrdersAsync_SignedWithAnotherSecret_401()
    {
        var (_, body) = Order();

        var result = await Handler().OrdersAsync(Request(body, WooCommerceWebhook.Sign(body, "some-other-secret"), "d-1"), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OrdersAsync_Ping_200WithoutSignatureAndNothingRecordedOrStarted()
    {
        var body = Encoding.UTF8.GetBytes("webhook_id=17");
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/x-www-form-urlencoded";
        context.Request.Body = new MemoryStream(body);

        var result = await Handler().OrdersAsync(context.Request, workflows.Object, CancellationToken.None);

        Assert.IsType<Ok>(result);
        workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OrdersAsync_PingShapedBodyWithTopicHeader_IsNotAPing()
    {
        var body = Encoding.UTF8.GetBytes("webhook_id=17");

        var result = await Handler().OrdersAsync(Request(body, "bad", Guid.NewGuid().ToString("N")), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(result).StatusCode);
    }

    [Fact]
    public async Task OrdersAsync_MalformedOrder_200NeedsReviewCaseNamesFieldsAndKeepsTheDelivery()
    {
        var json = JsonNode.Parse(TestFixtures.WooCommerceOrderJson())!.AsObject();
        json["id"] = Random.Shared.NextInt64(1, long.MaxValue);
        json["line_items"]![0]!["sku"] = "";
        json["line_items"]![1]!["quantity"] = "one";
        var body = Encoding.UTF8.GetBytes(json.ToJsonString());
        var deliveryId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersAsync(Request(body, Sign(body), deliveryId), workflows.Object, CancellationToken.None);

        var answer = Assert.IsType<Ok<IntakeRejectedResponse>>(result).Value!;
        Assert.Equal(new IntakeRejectedResponse(UnmappableDeliveries.NeedsReview, $"intake-woocommerce-{deliveryId}"), answer);
        const string reasons = "line_items[0].sku is required; line_items[1].quantity must be an integer";
        var c = (await cases.GetAsync(answer.CaseId))!;
        Assert.Equal((ExceptionReason.IntakeRejected, false), (c.Reason, c.AwaitsWorkflow));
        Assert.Contains(reasons, c.Error, StringComparison.Ordinal);
        var recorded = await deliveries.GetAsync("woocommerce", deliveryId);
        Assert.Equal(DeliveryOutcomes.RejectedUnmappable, recorded!.Outcome);
        Assert.Equal(reasons, recorded.Reason);
        Assert.Equal(Encoding.UTF8.GetString(body), recorded.RawPayload);

        var again = await Handler().OrdersAsync(Request(body, Sign(body), deliveryId), workflows.Object, CancellationToken.None);
        Assert.Equal(answer, Assert.IsType<Ok<IntakeRejectedResponse>>(again).Value);
        Assert.Single(await cases.ListOpenAsync(), open => open.CaseId.Contains(deliveryId, StringComparison.Ordinal));
        workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OrdersAsync_UnmappableWithoutDeliveryIdSentTwice_OneCaseKeyedByTheBody()
    {
        var json = JsonNode.Parse(TestFixtures.WooCommerceOrderJson())!.AsObject();
        json["id"] = Random.Shared.NextInt64(1, long.MaxValue);
        json.Remove("shipping");
        var body = Encoding.UTF8.GetBytes(json.ToJsonString());

        var first = Assert.IsType<Ok<IntakeRejectedResponse>>(await Handler().OrdersAsync(Request(body, Sign(body), ""), workflows.Object, CancellationToken.None)).Value!;
        var second = Assert.IsType<Ok<IntakeRejectedResponse>>(await Handler().OrdersAsync(Request(body, Sign(body), ""), workflows.Object, CancellationToken.None)).Value!;

        var key = UnmappableDeliveries.DeliveryKey(null, Encoding.UTF8.GetString(body));
        Assert.Equal(first, second);
        Assert.Equal($"intake-woocommerce-{key}", first.CaseId);
        Assert.Contains("shipping", (await cases.GetAsync(first.CaseId))!.Error, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetString(body), (await deliveries.GetAsync("woocommerce", key))!.RawPayload);
        workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OrdersAsync_OtherTopic_422RecordedAndNothingStarted()
    {
        var (_, body) = Order();
        var deliveryId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersAsync(Request(body, Sign(body), deliveryId, topic: "order.deleted"), workflows.Object, CancellationToken.None);

        Assert.Equal(422, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        var recorded = await deliveries.GetAsync("woocommerce", deliveryId);
        Assert.Equal(DeliveryOutcomes.RejectedMalformed, recorded!.Outcome);
        Assert.Equal("order.deleted", recorded.Topic);
        workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OrdersAsync_OrderUpdatedToProcessing_PendingBankTransferMarkedPaidAndItsPaymentHoldRetried()
    {
        var (orderId, id) = await BankTransferOrderAsync();
        var caseId = $"{orderId}-payment-1";
        await cases.OpenAsync(new OpenCaseRequest(
            caseId, orderId, ExceptionReason.PaymentFailed, "verify-payment", "payment_pending: WooCommerce reports the payment on-hold.",
            CasePolicy.AllowedResolutions(ExceptionReason.PaymentFailed), DateTimeOffset.UtcNow.AddDays(3)));
        var body = BankTransferBody(id, "processing", paid: true);
        var deliveryId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersAsync(Request(body, Sign(body), deliveryId, topic: "order.updated"), workflows.Object, CancellationToken.None);

        Assert.Equal(DeliveryOutcomes.Accepted, Assert.IsType<Ok<IntakeResponse>>(result).Value!.Status);
        var payment = (await orders.GetAsync(orderId))!.Order.Payment!;
        Assert.Equal(("processing", true), (payment.Status, payment.PaidAt is not null));
        var decided = (await cases.GetAsync(caseId))!;
        Assert.Equal((CaseStatuses.Resolved, CaseResolution.RetryStep, WooCommerceWebhookHandler.DecidedBy), (decided.Status, decided.Resolution, decided.DecidedBy));
        workflows.Verify(w => w.RaiseEventAsync(orderId, CaseDecision.EventName(caseId), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
        var recorded = (await deliveries.GetAsync("woocommerce", deliveryId))!;
        Assert.Equal(("order.updated", DeliveryOutcomes.Accepted), (recorded.Topic, recorded.Outcome));
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task OrdersAsync_OrderUpdatedStillOnHold_StoresTheStateAndReleasesNothing()
    {
        var (orderId, id) = await BankTransferOrderAsync();
        var body = BankTransferBody(id, "on-hold", paid: false);

        var result = await Handler().OrdersAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N"), topic: "order.updated"), workflows.Object, CancellationToken.None);

        Assert.Equal(ChannelPaymentRelease.Ignored, Assert.IsType<Ok<IntakeResponse>>(result).Value!.Status);
        Assert.Equal("on-hold", (await orders.GetAsync(orderId))!.Order.Payment!.Status);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("")]
    [InlineData("UNSET")]
    public async Task OrdersAsync_SecretNotSet_503(string secret)
    {
        var (_, body) = Order();

        var result = await Handler(secret).OrdersAsync(Request(body, Sign(body), "d-1"), workflows.Object, CancellationToken.None);

        Assert.Equal(503, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        workflows.VerifyNoOtherCalls();
    }

    private WooCommerceWebhookHandler Handler(string secret = Secret)
    {
        return new WooCommerceWebhookHandler(
            deliveries,
            Microsoft.Extensions.Options.Options.Create(new IntakeOptions { WooCommerceWebhookSecret = secret }),
            TestIntake.Create(deliveries),
            new UnmappableDeliveries(deliveries, cases, TimeProvider.System, NullLogger<UnmappableDeliveries>.Instance),
            deliveries,
            new ChannelPaymentRelease(
                orders, cases, new CaseDecisionService(cases, TimeProvider.System, NullLogger<CaseDecisionService>.Instance), NullLogger<ChannelPaymentRelease>.Instance),
            TimeProvider.System,
            NullLogger<WooCommerceWebhookHandler>.Instance);
    }

    /// <summary>A stored WooCommerce order paid by bank transfer (bacs), pending payment, whose workflow runs.</summary>
    private async Task<(string OrderId, long Id)> BankTransferOrderAsync()
    {
        var id = Random.Shared.NextInt64(1, long.MaxValue);
        var mapped = WooCommerceOrderMapper.Map(BankTransferBody(id, "pending", paid: false));
        Assert.True(mapped.Succeeded, mapped.Succeeded ? null : mapped.Error);
        await orders.CreateAsync(mapped.Order, DateTimeOffset.UtcNow);
        workflows.Setup(w => w.GetStatusAsync(mapped.Order.OrderId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowStatus(mapped.Order.OrderId, "Running", null, null, DateTimeOffset.UtcNow));
        return (mapped.Order.OrderId, id);
    }

    /// <summary>The sample order paid by bank transfer: no Stripe transaction, in <paramref name="status"/>, with a payment date when paid.</summary>
    private static byte[] BankTransferBody(long id, string status, bool paid)
    {
        var json = JsonNode.Parse(TestFixtures.WooCommerceOrderJson())!.AsObject();
        json["id"] = id;
        json["meta_data"] = new JsonArray();
        json["status"] = status;
        json["payment_method"] = "bacs";
        json["payment_method_title"] = "Direct bank transfer";
        json["transaction_id"] = string.Empty;
        json["set_paid"] = false;
        json["date_paid"] = paid ? "2026-12-05T10:00:00" : null;
        json["date_paid_gmt"] = paid ? "2026-12-05T15:00:00" : null;
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>The sample order under a fresh id (the Deliveries table is shared by the class's tests).</summary>
    private static (string OrderId, byte[] Body) Order()
    {
        var json = JsonNode.Parse(TestFixtures.WooCommerceOrderJson())!.AsObject();
        var id = Random.Shared.NextInt64(1, long.MaxValue);
        json["id"] = id;
        json["meta_data"] = new JsonArray();
        json["transaction_id"] = $"pi_woo_{id}";
        return ($"woocommerce-{id}", Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    private static string Sign(byte[] body) => WooCommerceWebhook.Sign(body, Secret);

    private static HttpRequest Request(byte[] body, string signature, string deliveryId, string topic = "order.created")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        context.Request.Headers[WooCommerceWebhook.SignatureHeader] = signature;
        context.Request.Headers[WooCommerceWebhook.TopicHeader] = topic;
        context.Request.Headers[WooCommerceWebhook.WebhookIdHeader] = "17";
        context.Request.Headers[WooCommerceWebhook.DeliveryIdHeader] = deliveryId;
        context.Request.Headers[WooCommerceWebhook.SourceHeader] = "https://shop.example.com/";
        return context.Request;
    }
}
