using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Api.Webhooks;
using OrderFlow.Domain.Cases;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Intake;

/// <summary>POST /api/webhooks/shopify/orders-cancelled on Azurite: signature, dedupe, mapping, and every outcome recorded.</summary>
public sealed class ShopifyCancellationHandlerTests : IClassFixture<StorageFixture>
{
    private const string Secret = "shopify-webhook-secret";

    private readonly TableDeliveryStore deliveries;
    private readonly TableOrderStore orders;
    private readonly TablePendingCancellationStore pending;
    private readonly TableExceptionQueue cases;
    private readonly Mock<IWorkflowClient> workflows = new();
    private readonly List<(string OrderId, CancelOrderRequest Request)> raised = [];

    public ShopifyCancellationHandlerTests(StorageFixture storage)
    {
        deliveries = new TableDeliveryStore(storage.Tables, NullLogger<TableDeliveryStore>.Instance);
        orders = new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance);
        pending = new TablePendingCancellationStore(storage.Tables);
        cases = new TableExceptionQueue(storage.Tables, Mock.Of<IApproverAlert>(), TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);
        workflows.Setup(w => w.RaiseEventAsync(It.IsAny<string>(), CancelOrderRequest.EventName, It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback((string id, string _, object payload, CancellationToken _) => raised.Add((id, (CancelOrderRequest)payload)))
            .Returns(Task.CompletedTask);
    }

    [Fact]
    public async Task OrdersCancelledAsync_RunningOrder_200AcceptedRaisesWholeOrderCancelFromShopify()
    {
        var (orderId, body) = await CancelledAsync("Running", json => json["financial_status"] = "paid");
        var webhookId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersCancelledAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        var ok = Assert.IsType<Ok<IntakeResponse>>(result);
        Assert.Equal(DeliveryOutcomes.Accepted, ok.Value!.Status);
        Assert.Equal(orderId, ok.Value.OrderId);
        var (raisedTo, request) = Assert.Single(raised);
        Assert.Equal(orderId, raisedTo);
        Assert.Null(request.Lines);
        Assert.True(request.Refund);
        Assert.True(request.NotifyCustomer);
        Assert.True(request.Restock);
        Assert.Equal(CancelReasons.CustomerRequest, request.Reason);
        Assert.Equal("shopify", request.RequestedBy);
        var recorded = await deliveries.GetAsync("shopify", webhookId);
        Assert.Equal(DeliveryOutcomes.Accepted, recorded!.Outcome);
        Assert.Equal("orders/cancelled", recorded.Topic);
        Assert.Equal(orderId, recorded.OrderId);
        Assert.Contains((await orders.GetAsync(orderId))!.Timeline, e => e.Kind == OrderCancellation.TimelineKind && e.Message.Contains(request.RequestId, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("refunded", false)]
    [InlineData("partially_refunded", false)]
    [InlineData("voided", false)]
    [InlineData("paid", true)]
    [InlineData("authorized", true)]
    public async Task OrdersCancelledAsync_FinancialStatus_RefundOnlyWhenShopifyDidNotHandleTheMoney(string financialStatus, bool refund)
    {
        var (_, body) = await CancelledAsync("Running", json => json["financial_status"] = financialStatus);

        await Handler().OrdersCancelledAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, default);

        Assert.Equal(refund, Assert.Single(raised).Request.Refund);
    }

    [Theory]
    [InlineData("fraud", "fraud")]
    [InlineData("inventory", "out-of-stock")]
    [InlineData("declined", "payment-declined")]
    [InlineData("other", "other")]
    [InlineData(null, "other")]
    public async Task OrdersCancelledAsync_CancelReason_MapsToReasonCode(string? cancelReason, string expected)
    {
        var (_, body) = await CancelledAsync("Running", json => json["cancel_reason"] = cancelReason);

        await Handler().OrdersCancelledAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, default);

        Assert.Equal(expected, Assert.Single(raised).Request.Reason);
    }

    [Fact]
    public async Task OrdersCancelledAsync_RefundLinesNotRestocked_RestockFalse()
    {
        var (_, body) = await CancelledAsync("Running", json =>
        {
            foreach (var line in json["refunds"]![0]!["refund_line_items"]!.AsArray())
            {
                line!["restock_type"] = "no_restock";
            }
        });

        await Handler().OrdersCancelledAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, default);

        Assert.False(Assert.Single(raised).Request.Restock);
    }

    [Fact]
    public async Task OrdersCancelledAsync_SameWebhookIdTwice_RaisedAndRecordedOnce()
    {
        var (_, body) = await CancelledAsync("Running");
        var webhookId = Guid.NewGuid().ToString("N");

        await Handler().OrdersCancelledAsync(Request(body, Sign(body), webhookId), workflows.Object, default);
        var second = await Handler().OrdersCancelledAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        Assert.Equal(DeliveryOutcomes.Duplicate, Assert.IsType<Ok<IntakeResponse>>(second).Value!.Status);
        Assert.Single(raised);
    }

    [Fact]
    public async Task OrdersCancelledAsync_ReusedWebhookIdForAnotherOrder_409NotDuplicate()
    {
        var (firstOrder, first) = await CancelledAsync("Running");
        var (otherOrder, other) = await CancelledAsync("Running");
        var webhookId = Guid.NewGuid().ToString("N");
        await Handler().OrdersCancelledAsync(Request(first, Sign(first), webhookId), workflows.Object, default);

        var result = await Handler().OrdersCancelledAsync(Request(other, Sign(other), webhookId), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.StartsWith($"Delivery {webhookId} was already received with different content (order {firstOrder})", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(raised, r => r.OrderId == otherOrder);
    }

    [Fact]
    public async Task OrdersCancelledAsync_RedeliveryUnderNewWebhookId_RaisesTheSameRequestId()
    {
        var (_, body) = await CancelledAsync("Running");

        await Handler().OrdersCancelledAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, default);
        await Handler().OrdersCancelledAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, default);

        Assert.Equal(2, raised.Count);
        Assert.Equal(raised[0].Request.RequestId, raised[1].Request.RequestId);
    }

    [Theory]
    [InlineData("bm90IHRoZSBzaWduYXR1cmU=")]
    [InlineData("")]
    public async Task OrdersCancelledAsync_BadHmac_401RecordedAndNothingRaised(string signature)
    {
        var (_, body) = await CancelledAsync("Running");
        var webhookId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersCancelledAsync(Request(body, signature, webhookId), workflows.Object, default);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        Assert.Equal(DeliveryOutcomes.RejectedSignature, (await deliveries.GetAsync("shopify", webhookId))!.Outcome);
        Assert.Empty(raised);
        workflows.Verify(w => w.GetStatusAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task OrdersCancelledAsync_BeforeTheOrderArrived_200HeldAndStillHeldWhenIntakeStartsTheWorkflow()
    {
        var shopifyId = Random.Shared.NextInt64(1, long.MaxValue);
        var orderId = $"shopify-{shopifyId}";
        var body = Body(shopifyId, _ => { });
        var webhookId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersCancelledAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        Assert.Equal(CancellationSubmission.Held, Assert.IsType<Ok<IntakeResponse>>(result).Value!.Status);
        var recorded = await deliveries.GetAsync("shopify", webhookId);
        Assert.Equal(CancellationSubmission.Held, recorded!.Outcome);
        Assert.Equal(Encoding.UTF8.GetString(body), recorded.RawPayload);
        Assert.Empty(raised);
        var held = Assert.Single(await pending.ListAsync(orderId));

        // The order's orders/create arrives: intake starts the workflow and answers; the workflow's first activity takes
        // the held cancellation and raises it to itself (order revision 13; OrderOrchestratorHeldAtIntakeTests).
        workflows.Setup(w => w.StartAsync(It.IsAny<string>(), orderId, It.IsAny<object>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var intake = new OrderIntake(
            deliveries, Microsoft.Extensions.Options.Options.Create(new WorkflowOptions()), Microsoft.Extensions.Options.Options.Create(new InventoryOptions()), NullLogger<OrderIntake>.Instance);
        var order = TestOrders.Create(orderId);
        var started = await intake.StartAsync(new WebhookDelivery("shopify", $"create-{shopifyId}", "orders/create", DateTimeOffset.UtcNow, DeliveryOutcomes.Accepted, null, orderId, "{}"), order, workflows.Object, default);

        Assert.IsType<Accepted<IntakeResponse>>(started);
        Assert.Empty(raised);
        Assert.Equal(held.RequestId, Assert.Single(await pending.ListAsync(orderId)).RequestId);
    }

    [Theory]
    [InlineData("Completed")]
    [InlineData("Terminated")]
    public async Task OrdersCancelledAsync_FinishedWorkflow_200TooLateRecordedAndOnTheTimeline(string status)
    {
        var (orderId, body) = await CancelledAsync(status);
        var webhookId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersCancelledAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        Assert.Equal("too-late", Assert.IsType<Ok<IntakeResponse>>(result).Value!.Status);
        var recorded = await deliveries.GetAsync("shopify", webhookId);
        Assert.Equal("too-late", recorded!.Outcome);
        Assert.Contains($"already finished as {status}", recorded.Reason, StringComparison.Ordinal);
        Assert.Empty(raised);
        Assert.Contains((await orders.GetAsync(orderId))!.Timeline, e => e.Kind == OrderCancellation.TimelineKind && e.Message.Contains("refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OrdersCancelledAsync_NoOrderIdDeliveredTwice_200NeedsReviewOneCaseBodyKeptWhole()
    {
        var json = JsonNode.Parse(TestFixtures.ShopifyOrderCancelledJson())!.AsObject();
        json.Remove("id");
        var body = Encoding.UTF8.GetBytes(json.ToJsonString());
        var webhookId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersCancelledAsync(Request(body, Sign(body), webhookId), workflows.Object, default);
        var again = await Handler().OrdersCancelledAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        // Signed: a 400 would be retried and then dropped, losing the cancellation; a person gets a case instead.
        var answer = Assert.IsType<Ok<IntakeRejectedResponse>>(result).Value!;
        Assert.Equal(new IntakeRejectedResponse(UnmappableDeliveries.NeedsReview, $"intake-shopify-{webhookId}"), answer);
        Assert.Equal(answer, Assert.IsType<Ok<IntakeRejectedResponse>>(again).Value);
        var c = (await cases.GetAsync(answer.CaseId))!;
        Assert.Equal((ExceptionReason.IntakeRejected, CaseStatuses.Open, false), (c.Reason, c.Status, c.AwaitsWorkflow));
        Assert.Contains("id is required", c.Error, StringComparison.Ordinal);
        Assert.Contains(ShopifyCancellationHandler.CancellationNotApplied, c.Error, StringComparison.Ordinal);
        Assert.Single(await cases.ListOpenAsync(), open => open.CaseId == answer.CaseId);
        var recorded = await deliveries.GetAsync("shopify", webhookId);
        Assert.Equal(DeliveryOutcomes.RejectedUnmappable, recorded!.Outcome);
        Assert.Equal(Encoding.UTF8.GetString(body), recorded.RawPayload);
        Assert.Empty(raised);
    }

    /// <summary>The sample under a fresh Shopify id, stored as an order whose workflow is in <paramref name="runtimeStatus"/>.</summary>
    private async Task<(string OrderId, byte[] Body)> CancelledAsync(string runtimeStatus, Action<JsonObject>? edit = null)
    {
        var shopifyId = Random.Shared.NextInt64(1, long.MaxValue);
        var orderId = $"shopify-{shopifyId}";
        await orders.CreateAsync(TestOrders.Create(orderId), DateTimeOffset.UtcNow);
        workflows.Setup(w => w.GetStatusAsync(orderId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowStatus(orderId, runtimeStatus, null, null, DateTimeOffset.UtcNow));
        return (orderId, Body(shopifyId, edit ?? (_ => { })));
    }

    private static byte[] Body(long shopifyId, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(TestFixtures.ShopifyOrderCancelledJson())!.AsObject();
        json["id"] = shopifyId;
        json["financial_status"] = "paid";
        edit(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static string Sign(byte[] body) => ShopifyWebhookVerifier.Sign(body, Secret);

    private ShopifyCancellationHandler Handler()
    {
        var intake = Microsoft.Extensions.Options.Options.Create(new IntakeOptions { ShopifyWebhookSecret = Secret });
        var receiver = new ShopifyWebhookReceiver(deliveries, intake, TimeProvider.System, NullLogger<ShopifyWebhookReceiver>.Instance);
        var cancellation = new OrderCancellation(orders, TimeProvider.System, NullLogger<OrderCancellation>.Instance);
        var unmappable = new UnmappableDeliveries(deliveries, cases, TimeProvider.System, NullLogger<UnmappableDeliveries>.Instance);
        return new ShopifyCancellationHandler(receiver, deliveries, cancellation, pending, unmappable, NullLogger<ShopifyCancellationHandler>.Instance);
    }

    private static HttpRequest Request(byte[] body, string signature, string webhookId)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        context.Request.Headers[ShopifyWebhookVerifier.HmacHeader] = signature;
        context.Request.Headers[ShopifyWebhookVerifier.WebhookIdHeader] = webhookId;
        context.Request.Headers[ShopifyWebhookVerifier.TopicHeader] = "orders/cancelled";
        return context.Request;
    }
}
