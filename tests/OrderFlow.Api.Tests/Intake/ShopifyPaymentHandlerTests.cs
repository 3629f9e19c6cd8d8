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
using OrderFlow.Api.Webhooks;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Intake;

/// <summary>
/// POST /api/webhooks/shopify/orders-paid on Azurite: a Shopify-paid order held for a pending payment is marked paid and
/// its PaymentFailed case is retried through the decision outbox; redeliveries, unknown orders, Stripe-paid orders and
/// bad signatures are recorded and change nothing.
/// </summary>
public sealed class ShopifyPaymentHandlerTests : IClassFixture<StorageFixture>
{
    private const string Secret = "shopify-webhook-secret";

    private readonly TableDeliveryStore deliveries;
    private readonly TableOrderStore orders;
    private readonly TableExceptionQueue cases;
    private readonly Mock<IWorkflowClient> workflows = new();
    private readonly List<(string InstanceId, string EventName, object Payload)> raised = [];

    public ShopifyPaymentHandlerTests(StorageFixture storage)
    {
        deliveries = new TableDeliveryStore(storage.Tables, NullLogger<TableDeliveryStore>.Instance);
        orders = new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance);
        cases = new TableExceptionQueue(storage.Tables, Mock.Of<IApproverAlert>(), TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);
        workflows.Setup(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback((string id, string name, object payload, CancellationToken _) => raised.Add((id, name, payload)))
            .Returns(Task.CompletedTask);
    }

    [Fact]
    public async Task OrdersPaidAsync_PendingOrderHeldByPaymentCase_MarksPaidAndRetriesTheCase()
    {
        var (orderId, body) = await PendingOrderAsync();
        var caseId = await OpenPaymentCaseAsync(orderId);
        var webhookId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersPaidAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        var ok = Assert.IsType<Ok<IntakeResponse>>(result);
        Assert.Equal((orderId, DeliveryOutcomes.Accepted), (ok.Value!.OrderId, ok.Value.Status));
        var record = (await orders.GetAsync(orderId))!;
        Assert.Equal("paid", record.Order.Payment!.Status);
        Assert.NotNull(record.Order.Payment.PaidAt);
        Assert.Contains(record.Timeline, e => e.Kind == "payment" && e.Message.Contains("(was pending)", StringComparison.Ordinal));
        var decided = (await cases.GetAsync(caseId))!;
        Assert.Equal((CaseStatuses.Resolved, CaseResolution.RetryStep, ShopifyPaymentHandler.DecidedBy), (decided.Status, decided.Resolution, decided.DecidedBy));
        var (instance, eventName, payload) = Assert.Single(raised);
        Assert.Equal((orderId, CaseDecision.EventName(caseId)), (instance, eventName));
        Assert.Equal(CaseResolution.RetryStep, ((CaseDecision)payload).Resolution);
        var recorded = (await deliveries.GetAsync("shopify", webhookId))!;
        Assert.Equal(("orders/paid", DeliveryOutcomes.Accepted), (recorded.Topic, recorded.Outcome));
        Assert.Contains(caseId, recorded.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrdersPaidAsync_SameDeliveryAgain_DuplicateAndTheCaseIsNotDecidedTwice()
    {
        var (orderId, body) = await PendingOrderAsync();
        await OpenPaymentCaseAsync(orderId);
        var webhookId = Guid.NewGuid().ToString("N");

        await Handler().OrdersPaidAsync(Request(body, Sign(body), webhookId), workflows.Object, default);
        var again = await Handler().OrdersPaidAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        Assert.Equal(DeliveryOutcomes.Duplicate, Assert.IsType<Ok<IntakeResponse>>(again).Value!.Status);
        Assert.Single(raised);
    }

    [Fact]
    public async Task OrdersPaidAsync_PaidWithoutAHold_MarksPaidOnlyAndANewDeliveryChangesNothingMore()
    {
        var (orderId, body) = await PendingOrderAsync();

        var first = await Handler().OrdersPaidAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, default);
        await Handler().OrdersPaidAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, default);

        Assert.Equal(DeliveryOutcomes.Accepted, Assert.IsType<Ok<IntakeResponse>>(first).Value!.Status);
        var record = (await orders.GetAsync(orderId))!;
        Assert.Equal("paid", record.Order.Payment!.Status);
        Assert.Single(record.Timeline, e => e.Kind == "payment");
        Assert.Empty(raised);
    }

    [Fact]
    public async Task OrdersPaidAsync_StripePaidOrder_IgnoredAndUnchanged()
    {
        var shopifyId = Random.Shared.NextInt64(1, long.MaxValue);
        var orderId = $"shopify-{shopifyId}";
        await orders.CreateAsync(TestOrders.Create(orderId), DateTimeOffset.UtcNow);
        var body = Body(shopifyId);
        var webhookId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersPaidAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        Assert.Equal(ShopifyPaymentHandler.Ignored, Assert.IsType<Ok<IntakeResponse>>(result).Value!.Status);
        Assert.Null((await orders.GetAsync(orderId))!.Order.Payment);
        Assert.Equal(ShopifyPaymentHandler.Ignored, (await deliveries.GetAsync("shopify", webhookId))!.Outcome);
    }

    [Fact]
    public async Task OrdersPaidAsync_UnknownOrder_RecordedUnmatched()
    {
        var body = Body(Random.Shared.NextInt64(1, long.MaxValue));
        var webhookId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersPaidAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        Assert.Equal(DeliveryOutcomes.Unmatched, Assert.IsType<Ok<IntakeResponse>>(result).Value!.Status);
        Assert.Equal(DeliveryOutcomes.Unmatched, (await deliveries.GetAsync("shopify", webhookId))!.Outcome);
    }

    [Fact]
    public async Task OrdersPaidAsync_BadSignature_401RecordedAndNothingChanged()
    {
        var (orderId, body) = await PendingOrderAsync();
        var webhookId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersPaidAsync(Request(body, Sign(body, "another-secret"), webhookId), workflows.Object, default);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Equal(DeliveryOutcomes.RejectedSignature, (await deliveries.GetAsync("shopify", webhookId))!.Outcome);
        Assert.Equal("pending", (await orders.GetAsync(orderId))!.Order.Payment!.Status);
    }

    /// <summary>An order whose payment Shopify holds as pending (bank deposit), and the orders/paid body for it.</summary>
    private async Task<(string OrderId, byte[] Body)> PendingOrderAsync()
    {
        var shopifyId = Random.Shared.NextInt64(1, long.MaxValue);
        var orderId = $"shopify-{shopifyId}";
        var order = TestOrders.Create(orderId) with { Payment = new ChannelPayment("shopify", "pending", "bank_deposit", new Money(5451, "USD")) };
        await orders.CreateAsync(order, DateTimeOffset.UtcNow);
        workflows.Setup(w => w.GetStatusAsync(orderId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowStatus(orderId, "Running", null, null, DateTimeOffset.UtcNow));
        return (orderId, Body(shopifyId));
    }

    private async Task<string> OpenPaymentCaseAsync(string orderId)
    {
        var caseId = $"{orderId}-payment-1";
        await cases.OpenAsync(new OpenCaseRequest(
            caseId, orderId, ExceptionReason.PaymentFailed, "verify-payment", "payment_pending: Shopify reports the payment pending.",
            CasePolicy.AllowedResolutions(ExceptionReason.PaymentFailed), DateTimeOffset.UtcNow.AddDays(3)));
        return caseId;
    }

    /// <summary>The orders/paid body: Shopify's Order resource (the sample) with the id and financial_status paid.</summary>
    private static byte[] Body(long shopifyId)
    {
        var json = JsonNode.Parse(TestFixtures.ShopifyOrderCancelledJson())!.AsObject();
        json["id"] = shopifyId;
        json["financial_status"] = "paid";
        json.Remove("cancelled_at");
        json.Remove("cancel_reason");
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static string Sign(byte[] body, string secret = Secret) => ShopifyWebhookVerifier.Sign(body, secret);

    private ShopifyPaymentHandler Handler()
    {
        var intake = Microsoft.Extensions.Options.Options.Create(new IntakeOptions { ShopifyWebhookSecret = Secret });
        var receiver = new ShopifyWebhookReceiver(deliveries, intake, TimeProvider.System, NullLogger<ShopifyWebhookReceiver>.Instance);
        var unmappable = new UnmappableDeliveries(deliveries, cases, TimeProvider.System, NullLogger<UnmappableDeliveries>.Instance);
        return new ShopifyPaymentHandler(receiver, deliveries, Release(), unmappable, NullLogger<ShopifyPaymentHandler>.Instance);
    }

    private ChannelPaymentRelease Release()
    {
        var decisions = new CaseDecisionService(cases, TimeProvider.System, NullLogger<CaseDecisionService>.Instance);
        return new ChannelPaymentRelease(orders, cases, decisions, NullLogger<ChannelPaymentRelease>.Instance);
    }

    private static HttpRequest Request(byte[] body, string signature, string webhookId)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        context.Request.Headers[ShopifyWebhookVerifier.HmacHeader] = signature;
        context.Request.Headers[ShopifyWebhookVerifier.WebhookIdHeader] = webhookId;
        context.Request.Headers[ShopifyWebhookVerifier.TopicHeader] = "orders/paid";
        return context.Request;
    }
}
