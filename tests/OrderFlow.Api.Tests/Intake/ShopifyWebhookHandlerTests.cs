using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
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

/// <summary>POST /api/webhooks/shopify/orders on Azurite: ids never collide, a changed body is never a "duplicate", edge ids and amounts are refused.</summary>
public sealed class ShopifyWebhookHandlerTests : IClassFixture<StorageFixture>
{
    private const string Secret = "shopify-webhook-secret";

    private readonly WriteCounter writes = new();
    private readonly OrderFlowTables tables;
    private readonly TableDeliveryStore deliveries;
    private readonly TablePaymentEventStore payments;
    private readonly TableExceptionQueue cases;
    private readonly Mock<IApproverAlert> alerts = new();
    private readonly StorageFixture storage;
    private readonly Mock<IWorkflowClient> workflows = new();
    private readonly HashSet<string> started = new(StringComparer.Ordinal);

    public ShopifyWebhookHandlerTests(StorageFixture storage)
    {
        tables = new OrderFlowTables(StorageClients.CreateTableService(Azurite.ConnectionString, writes), storage.Options);
        deliveries = new TableDeliveryStore(tables, NullLogger<TableDeliveryStore>.Instance);
        payments = new TablePaymentEventStore(storage.Tables, TimeProvider.System, NullLogger<TablePaymentEventStore>.Instance);
        this.storage = storage;
        cases = new TableExceptionQueue(storage.Tables, alerts.Object, TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);
        workflows.Setup(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, string instanceId, object _, CancellationToken _) => started.Add(instanceId));
        workflows.Setup(w => w.GetStatusAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string instanceId, CancellationToken _) => started.Contains(instanceId) ? new WorkflowStatus(instanceId, "Running", null, null, null) : null);
    }

    [Fact]
    public async Task OrdersCreateAsync_IdsThatUsedToMapToUnderscore_EachAcceptedUnderItsOwnOrderId()
    {
        var stem = Guid.NewGuid().ToString("N")[..8];
        string[] shopifyIds = [$"{stem}/b-1", $"{stem}#b-1", $"{stem}?b-1", $"{stem} b-1"];
        var orderIds = new List<string>();

        foreach (var shopifyId in shopifyIds)
        {
            var body = Body(json => json["id"] = shopifyId);
            var result = await Handler().OrdersCreateAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, default);
            orderIds.Add(Assert.IsType<Accepted<IntakeResponse>>(result).Value!.OrderId);
        }

        Assert.Equal(shopifyIds.Length, orderIds.Distinct(StringComparer.Ordinal).Count());
        foreach (var orderId in orderIds)
        {
            workflows.Verify(w => w.StartAsync(nameof(OrderOrchestrator), orderId, It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Fact]
    public async Task OrdersCreateAsync_FirstDelivery_OneTableWriteThenTheStart_202()
    {
        await tables.GetAsync(TableNames.Deliveries); // the table exists, as on a running host
        var shopifyId = Random.Shared.NextInt64(1, long.MaxValue);
        var body = Body(json => json["id"] = shopifyId);
        var before = writes.Count;

        var result = await Handler().OrdersCreateAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, default);

        // The order id's claim and the delivery's record are one transaction; nothing else is written before the answer.
        Assert.Equal($"shopify-{shopifyId}", Assert.IsType<Accepted<IntakeResponse>>(result).Value!.OrderId);
        Assert.Equal(1, writes.Count - before);
        workflows.Verify(w => w.StartAsync(nameof(OrderOrchestrator), $"shopify-{shopifyId}", It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task OrdersCreateAsync_WorkflowExistsButNoClaimNamedItsOrder_200DuplicateAndTheDeliveryKept()
    {
        var shopifyId = Random.Shared.NextInt64(1, long.MaxValue);
        var body = Body(json => json["id"] = shopifyId);
        started.Add($"shopify-{shopifyId}"); // e.g. claimed before claims moved beside the deliveries, that claim since gone
        var webhookId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersCreateAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        Assert.Equal(DeliveryOutcomes.Duplicate, Assert.IsType<Ok<IntakeResponse>>(result).Value!.Status);
        Assert.Equal(DeliveryOutcomes.Accepted, (await deliveries.GetAsync("shopify", webhookId))!.Outcome);
    }

    [Fact]
    public async Task OrdersCreateAsync_OrderClaimedBeforeClaimsMoved_ChangedContentUnderNewWebhookId_409AndNothingLeftAccepted()
    {
        var shopifyId = Random.Shared.NextInt64(1, long.MaxValue);
        var orderId = $"shopify-{shopifyId}";
        var body = Body(json => json["id"] = shopifyId);
        var table = await tables.GetAsync(TableNames.Deliveries);
        await table.AddEntityAsync(new TableEntity("~orders", orderId)
        {
            ["OrderId"] = orderId,
            ["ContentHash"] = "content-of-the-first-delivery",
            ["DeliveryId"] = "first-webhook",
        });
        started.Add(orderId);
        var webhookId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersCreateAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.Equal($"Order {orderId} was already received with different content (delivery first-webhook).", problem.ProblemDetails.Detail);
        var recorded = await deliveries.GetAsync("shopify", webhookId);
        Assert.Equal(DeliveryOutcomes.RejectedConflict, recorded!.Outcome);
        Assert.Equal(Encoding.UTF8.GetString(body), recorded.RawPayload);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("shopify", $"order|{orderId}")).HasValue, "the claim this delivery made is given back");
    }

    [Fact]
    public async Task OrdersCreateAsync_SameWebhookIdSameBody_200Duplicate()
    {
        var body = Body();
        var webhookId = Guid.NewGuid().ToString("N");
        await Handler().OrdersCreateAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        var second = await Handler().OrdersCreateAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        Assert.Equal(DeliveryOutcomes.Duplicate, Assert.IsType<Ok<IntakeResponse>>(second).Value!.Status);
    }

    [Fact]
    public async Task OrdersCreateAsync_ReusedWebhookIdWithAnotherOrder_409RecordedAsConflict()
    {
        var webhookId = Guid.NewGuid().ToString("N");
        var first = Body();
        await Handler().OrdersCreateAsync(Request(first, Sign(first), webhookId), workflows.Object, default);
        var other = Body();

        var result = await Handler().OrdersCreateAsync(Request(other, Sign(other), webhookId), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.Contains($"Delivery {webhookId} was already received with different content", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Single(started);
        // The accepted record still names the first order; the refused body is kept as a conflict.
        Assert.Equal(DeliveryOutcomes.Accepted, (await deliveries.GetAsync("shopify", webhookId))!.Outcome);
    }

    [Fact]
    public async Task OrdersCreateAsync_ReusedWebhookIdWithAnotherOrder_TheRefusedBodyHoldsNoClaimOnItsOrderId()
    {
        // The refused body's order id is claimed before the delivery id is found taken; the claim is given back, so the
        // real delivery of that order, with other content, is accepted later (not refused as "changed content").
        var webhookId = Guid.NewGuid().ToString("N");
        var first = Body();
        await Handler().OrdersCreateAsync(Request(first, Sign(first), webhookId), workflows.Object, default);
        var shopifyId = Random.Shared.NextInt64(1, long.MaxValue);
        var refused = Body(json => json["id"] = shopifyId);
        var conflict = await Handler().OrdersCreateAsync(Request(refused, Sign(refused), webhookId), workflows.Object, default);
        var real = Body(json =>
        {
            json["id"] = shopifyId;
            json["line_items"]![0]!["quantity"] = 7;
        });

        var result = await Handler().OrdersCreateAsync(Request(real, Sign(real), Guid.NewGuid().ToString("N")), workflows.Object, default);

        Assert.Equal(StatusCodes.Status409Conflict, Assert.IsType<ProblemHttpResult>(conflict).StatusCode);
        Assert.Equal($"shopify-{shopifyId}", Assert.IsType<Accepted<IntakeResponse>>(result).Value!.OrderId);
        Assert.Contains($"shopify-{shopifyId}", started);
    }

    [Fact]
    public async Task OrdersCreateAsync_PaymentEventsHeldBeforeTheOrder_AnsweredWithoutReadingThemAndLeftPendingForTheWorkflow()
    {
        var intentId = $"pi_held_{Guid.NewGuid():N}";
        var at = DateTimeOffset.UtcNow;
        await payments.AddPendingAsync(new PaymentEventNotice("evt_2", "charge.refunded", intentId, null, null, at));
        await payments.AddPendingAsync(new PaymentEventNotice("evt_1", "payment_intent.succeeded", intentId, null, null, at.AddSeconds(-1)));
        var body = Body(json => json[ShopifyOrderMapper.PaymentIntentField] = intentId);

        var result = await Handler().OrdersCreateAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, default);

        // Since order revision 13 the workflow's first activity binds the intent and raises the held notices
        // (OrderOrchestratorHeldAtIntakeTests); intake awaits only the dedupe insert and the start.
        var orderId = Assert.IsType<Accepted<IntakeResponse>>(result).Value!.OrderId;
        Assert.Contains(orderId, started);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(["evt_1", "evt_2"], (await payments.GetPendingAsync(intentId)).Select(n => n.EventId));
        Assert.Null(await payments.FindOrderAsync(intentId));
    }

    [Fact]
    public async Task OrdersCreateAsync_WebhookIdAlreadyUsedByACancellation_409NotDuplicate()
    {
        var webhookId = Guid.NewGuid().ToString("N");
        await deliveries.TryRecordAcceptedEventAsync(new WebhookDelivery("shopify", webhookId, "orders/cancelled", DateTimeOffset.UtcNow, "held", "held", "shopify-1", "{}"));
        var body = Body();

        var result = await Handler().OrdersCreateAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        Assert.Equal(StatusCodes.Status409Conflict, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        Assert.Empty(started);
    }

    [Fact]
    public async Task OrdersCreateAsync_SameOrderIdChangedContentUnderNewWebhookId_409NamesOrderAndFirstDelivery()
    {
        var shopifyId = Random.Shared.NextInt64(1, long.MaxValue);
        var firstWebhook = Guid.NewGuid().ToString("N");
        var first = Body(json => json["id"] = shopifyId);
        await Handler().OrdersCreateAsync(Request(first, Sign(first), firstWebhook), workflows.Object, default);
        var changed = Body(json =>
        {
            json["id"] = shopifyId;
            json["line_items"]![0]!["quantity"] = 7;
        });

        var result = await Handler().OrdersCreateAsync(Request(changed, Sign(changed), Guid.NewGuid().ToString("N")), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.Equal($"Order shopify-{shopifyId} was already received with different content (delivery {firstWebhook}).", problem.ProblemDetails.Detail);
    }

    [Fact]
    public async Task OrdersCreateAsync_LongUnsignedWebhookId_401AndRecorded()
    {
        var body = Body();
        var webhookId = new string('9', 5000);

        var result = await Handler().OrdersCreateAsync(Request(body, "bm90IHRoZSBzaWduYXR1cmU=", webhookId), workflows.Object, default);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        Assert.Equal(DeliveryOutcomes.RejectedSignature, (await deliveries.GetAsync("shopify", webhookId))!.Outcome);
        workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OrdersCreateAsync_LongSignedWebhookId_400NamesHeaderAndLimit()
    {
        var body = Body();

        var result = await Handler().OrdersCreateAsync(Request(body, Sign(body), new string('9', 300)), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(400, problem.StatusCode);
        Assert.Equal($"{ShopifyWebhookVerifier.WebhookIdHeader} is 300 characters; at most {OrderIntake.MaxDeliveryIdLength} are accepted.", problem.ProblemDetails.Detail);
        workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OrdersCreateAsync_LongOrderId_422NamesFieldAndNothingStarted()
    {
        var body = Body(json => json["id"] = new string('7', 2000));

        var result = await Handler().OrdersCreateAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(422, problem.StatusCode);
        Assert.StartsWith("externalId: The channel order id is 2000 characters; at most 256", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Empty(started);
    }

    [Theory]
    [InlineData("79228162514264337593543950335")]
    [InlineData("92233720368547758.08")]
    public async Task OrdersCreateAsync_AmountOverflowingDecimalOrLong_200NeedsReviewCaseNamesTheField(string price)
    {
        var body = Body(json => json["line_items"]![0]!["price"] = price);
        var webhookId = Guid.NewGuid().ToString("N");

        var result = await Handler().OrdersCreateAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        var answer = Assert.IsType<Ok<IntakeRejectedResponse>>(result).Value!;
        Assert.Equal(new IntakeRejectedResponse(UnmappableDeliveries.NeedsReview, $"intake-shopify-{webhookId}"), answer);
        Assert.Contains("line_items[0].price", (await cases.GetAsync(answer.CaseId))!.Error, StringComparison.Ordinal);
        Assert.Empty(started);
    }

    [Fact]
    public async Task OrdersCreateAsync_NoShippingAddressDeliveredTwice_OneCaseAndThePayloadKeptWhole()
    {
        var body = Body(json => json.Remove("shipping_address"));
        var webhookId = Guid.NewGuid().ToString("N");

        var first = await Handler().OrdersCreateAsync(Request(body, Sign(body), webhookId), workflows.Object, default);
        var second = await Handler().OrdersCreateAsync(Request(body, Sign(body), webhookId), workflows.Object, default);

        var caseId = Assert.IsType<Ok<IntakeRejectedResponse>>(first).Value!.CaseId;
        Assert.Equal(caseId, Assert.IsType<Ok<IntakeRejectedResponse>>(second).Value!.CaseId);
        var c = (await cases.GetAsync(caseId))!;
        Assert.Equal((ExceptionReason.IntakeRejected, CaseStatuses.Open, false), (c.Reason, c.Status, c.AwaitsWorkflow));
        Assert.Equal([CaseResolution.Approve], c.AllowedResolutions);
        Assert.Contains("shipping_address is required", c.Error, StringComparison.Ordinal);
        Assert.Contains($"delivery id '{webhookId}'", c.Error, StringComparison.Ordinal);
        foreach (var pii in new[] { "@", "Jane", "Doe" })
        {
            Assert.DoesNotContain(pii, c.Error, StringComparison.Ordinal);
        }

        Assert.Single(await cases.ListOpenAsync(), open => open.CaseId.Contains(webhookId, StringComparison.Ordinal));
        alerts.Verify(a => a.AlertAsync(It.Is<ExceptionCase>(x => x.CaseId == caseId), It.IsAny<CancellationToken>()), Times.Once);
        var recorded = await deliveries.GetAsync(ShopifyWebhookHandler.Source, webhookId);
        Assert.Equal(DeliveryOutcomes.RejectedUnmappable, recorded!.Outcome);
        Assert.Equal(Encoding.UTF8.GetString(body), recorded.RawPayload);
        Assert.Equal(1, await RejectedRowsAsync(webhookId));
        Assert.Empty(started);
    }

    [Fact]
    public async Task OrdersCreateAsync_CaseStoreFailsAfterTheBodyWasKept_ThrowsAndTheRedeliveryOpensTheCase()
    {
        var body = Body(json => json.Remove("shipping_address"));
        var webhookId = Guid.NewGuid().ToString("N");
        var down = new Mock<IExceptionQueue>();
        down.Setup(q => q.OpenAsync(It.IsAny<OpenCaseRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("cases table unavailable"));

        // The host answers 500 on the exception, so Shopify redelivers the same body.
        await Assert.ThrowsAsync<InvalidOperationException>(() => Handler(down.Object).OrdersCreateAsync(Request(body, Sign(body), webhookId), workflows.Object, default));
        var answer = Assert.IsType<Ok<IntakeRejectedResponse>>(await Handler().OrdersCreateAsync(Request(body, Sign(body), webhookId), workflows.Object, default)).Value!;

        Assert.Equal(ExceptionReason.IntakeRejected, (await cases.GetAsync(answer.CaseId))!.Reason);
        Assert.Equal(1, await RejectedRowsAsync(webhookId));
        alerts.Verify(a => a.AlertAsync(It.Is<ExceptionCase>(x => x.CaseId == answer.CaseId), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task OrdersCreateAsync_UnmappableWithAnUnusualWebhookId_CaseIdSafeForKeysAndLinksStillOnePerDelivery()
    {
        var body = Body(json => json.Remove("shipping_address"));
        var webhookId = $"Odd/Id?{Guid.NewGuid():N}#" + new string('x', 200);

        var first = Assert.IsType<Ok<IntakeRejectedResponse>>(await Handler().OrdersCreateAsync(Request(body, Sign(body), webhookId), workflows.Object, default)).Value!;
        var second = Assert.IsType<Ok<IntakeRejectedResponse>>(await Handler().OrdersCreateAsync(Request(body, Sign(body), webhookId), workflows.Object, default)).Value!;

        Assert.Equal(first.CaseId, second.CaseId);
        Assert.Matches("^intake-shopify-[a-z0-9_.-]{1,40}~[0-9a-f]{16}$", first.CaseId);
        var c = (await cases.GetAsync(first.CaseId))!;
        Assert.Contains($"delivery id '{webhookId}'", c.Error, StringComparison.Ordinal);
        Assert.Equal(DeliveryOutcomes.RejectedUnmappable, (await deliveries.GetAsync(ShopifyWebhookHandler.Source, webhookId))!.Outcome);
    }

    [Fact]
    public async Task OrdersCreateAsync_SameWebhookIdWithAnotherUnmappableBody_BothBodiesKeptUnderTheOneCase()
    {
        var body = Body(json => json.Remove("shipping_address"));
        var other = Body(json => json.Remove("currency"));
        var webhookId = Guid.NewGuid().ToString("N");

        var first = Assert.IsType<Ok<IntakeRejectedResponse>>(await Handler().OrdersCreateAsync(Request(body, Sign(body), webhookId), workflows.Object, default)).Value!;
        var second = Assert.IsType<Ok<IntakeRejectedResponse>>(await Handler().OrdersCreateAsync(Request(other, Sign(other), webhookId), workflows.Object, default)).Value!;

        Assert.Equal(first.CaseId, second.CaseId);
        Assert.Equal(2, await RejectedRowsAsync(webhookId));
        Assert.Equal(Encoding.UTF8.GetString(other), (await deliveries.GetAsync(ShopifyWebhookHandler.Source, webhookId))!.RawPayload);
    }

    /// <summary>How many rejected rows the delivery id has (the store keeps one per recorded delivery).</summary>
    private async Task<int> RejectedRowsAsync(string webhookId)
    {
        var table = await storage.Tables.GetAsync(TableNames.Deliveries);
        var count = 0;
        await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(
            Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {"shopify-rejected"} and DeliveryId eq {webhookId}")))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task OrdersCreateAsync_HugePriceTimesQuantity_422NamesTheLine()
    {
        var body = Body(json =>
        {
            json["line_items"]![0]!["price"] = "90000000000000000.00";
            json["line_items"]![0]!["quantity"] = 1000;
        });

        var result = await Handler().OrdersCreateAsync(Request(body, Sign(body), Guid.NewGuid().ToString("N")), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(422, problem.StatusCode);
        Assert.Contains("lines[0]: Unit price x quantity", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Empty(started);
    }

    /// <summary>The Shopify fixture under a fresh numeric id (the Deliveries table is shared by the class's tests).</summary>
    private static byte[] Body(Action<JsonObject>? edit = null)
    {
        var json = JsonNode.Parse(TestFixtures.ShopifyOrderJson())!.AsObject();
        json["id"] = Random.Shared.NextInt64(1, long.MaxValue);
        edit?.Invoke(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static string Sign(byte[] body) => ShopifyWebhookVerifier.Sign(body, Secret);

    private ShopifyWebhookHandler Handler(IExceptionQueue? queue = null)
    {
        var intake = Microsoft.Extensions.Options.Options.Create(new IntakeOptions { ShopifyWebhookSecret = Secret });
        var receiver = new ShopifyWebhookReceiver(deliveries, intake, TimeProvider.System, NullLogger<ShopifyWebhookReceiver>.Instance);
        return new ShopifyWebhookHandler(
            receiver, TestIntake.Create(deliveries), new UnmappableDeliveries(deliveries, queue ?? cases, TimeProvider.System, NullLogger<UnmappableDeliveries>.Instance));
    }

    private static HttpRequest Request(byte[] body, string signature, string webhookId)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        context.Request.Headers[ShopifyWebhookVerifier.HmacHeader] = signature;
        context.Request.Headers[ShopifyWebhookVerifier.WebhookIdHeader] = webhookId;
        context.Request.Headers[ShopifyWebhookVerifier.TopicHeader] = "orders/create";
        return context.Request;
    }

    /// <summary>Counts the table requests that write (anything but GET and HEAD; a transaction is one request).</summary>
    private sealed class WriteCounter : HttpPipelineSynchronousPolicy
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method != RequestMethod.Get && message.Request.Method != RequestMethod.Head)
            {
                Interlocked.Increment(ref count);
            }
        }
    }
}
