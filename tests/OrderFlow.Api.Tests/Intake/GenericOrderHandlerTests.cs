using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Api.Tests.Infrastructure;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Workflows.Security;
using OrderFlow.Workflows.Serialization;
using OrderFlow.Domain.Cases;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Intake;

/// <summary>POST /api/orders on Azurite: signed canonical orders take the shared dedupe and start path.</summary>
public sealed class GenericOrderHandlerTests : IClassFixture<StorageFixture>
{
    private const string Secret = "generic-intake-secret-0123456789";
    private const string ApiKey = "generic-intake-api-key-0123456789abcdef";

    private readonly TableDeliveryStore deliveries;
    private readonly TablePaymentEventStore payments;
    private readonly TableExceptionQueue cases;
    private readonly Mock<IWorkflowClient> workflows = new();
    private readonly StorageFixture storage;

    public GenericOrderHandlerTests(StorageFixture storage)
    {
        this.storage = storage;
        deliveries = new TableDeliveryStore(storage.Tables, NullLogger<TableDeliveryStore>.Instance);
        payments = new TablePaymentEventStore(storage.Tables, TimeProvider.System, NullLogger<TablePaymentEventStore>.Instance);
        cases = new TableExceptionQueue(storage.Tables, Mock.Of<IApproverAlert>(), TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);
        workflows.Setup(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
    }

    [Fact]
    public async Task PostAsync_SignedCanonicalOrder_StartsWorkflowUnderDerivedIdAndLeavesThePaymentBindingToIt()
    {
        var externalId = Guid.NewGuid().ToString("N");
        var body = Body(externalId, source: "Pos_Till");

        var result = await Handler().PostAsync(Request(body, signature: HmacSignature.Sign(body, Secret)), workflows.Object, CancellationToken.None);

        var accepted = Assert.IsType<Accepted<IntakeResponse>>(result);
        var orderId = $"pos_till-{externalId}";
        Assert.Equal(orderId, accepted.Value!.OrderId);
        workflows.Verify(w => w.StartAsync(nameof(OrderOrchestrator), orderId, It.Is<OrderWorkflowInput>(i => i.Source == "pos_till" && i.Version == OrderWorkflowVersions.Current), It.IsAny<CancellationToken>()), Times.Once);
        var stored = await deliveries.GetOrderAsync("pos_till", orderId);
        Assert.Equal(orderId, stored!.OrderId);
        Assert.Equal($"pi_{externalId}", stored.PaymentReference);
        // Intake awaits only the dedupe insert and the start: the workflow's first activity binds the intent (revision 13).
        Assert.Null(await payments.FindOrderAsync($"pi_{externalId}"));
    }

    [Fact]
    public async Task PostAsync_ApiKeyInsteadOfSignature_Accepted()
    {
        var body = Body(Guid.NewGuid().ToString("N"));

        var result = await Handler().PostAsync(Request(body, apiKey: ApiKey), workflows.Object, CancellationToken.None);

        Assert.IsType<Accepted<IntakeResponse>>(result);
    }

    [Fact]
    public async Task PostAsync_SamePostTwice_SecondIsDuplicateAndStartsNothing()
    {
        var body = Body(Guid.NewGuid().ToString("N"));
        await Handler().PostAsync(Request(body, apiKey: ApiKey), workflows.Object, CancellationToken.None);
        workflows.Setup(w => w.GetStatusAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowStatus("x", "Running", null, null, null));

        var second = await Handler().PostAsync(Request(body, apiKey: ApiKey), workflows.Object, CancellationToken.None);

        Assert.Equal("duplicate", Assert.IsType<Ok<IntakeResponse>>(second).Value!.Status);
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData("bad-signature", null)]
    [InlineData(null, "wrong-key")]
    [InlineData(null, null)]
    public async Task PostAsync_Unauthenticated_401RecordedAndNothingStarted(string? signature, string? apiKey)
    {
        var deliveryId = Guid.NewGuid().ToString("N");
        var body = Body(deliveryId);

        var result = await Handler().PostAsync(Request(body, signature, apiKey, deliveryId), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Equal(DeliveryOutcomes.RejectedSignature, (await deliveries.GetAsync(GenericOrderHandler.FallbackSource, deliveryId))!.Outcome);
        workflows.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("""{"source":"pos"}""", "Required field(s) missing: externalId, customer.email, shippingAddress, lines, totals, currency, placedAt.")]
    [InlineData("not json", "The body is not a canonical order")]
    public async Task PostAsync_Malformed_400WithReason(string json, string reason)
    {
        var body = Encoding.UTF8.GetBytes(json);

        var result = await Handler().PostAsync(Request(body, apiKey: ApiKey), workflows.Object, CancellationToken.None);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(400, problem.StatusCode);
        Assert.StartsWith(reason, problem.ProblemDetails.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostAsync_NoShippingAddress_400WithReasonAndACaseKeepingTheBodyWhole()
    {
        var order = TestOrders.Create(orderId: "ignored-client-id") with { Source = "pos", ExternalId = Guid.NewGuid().ToString("N"), ShippingAddress = null! };
        var body = JsonSerializer.SerializeToUtf8Bytes(order, IntegrationJson.Options);
        var deliveryId = Guid.NewGuid().ToString("N");

        var result = await Handler().PostAsync(Request(body, apiKey: ApiKey, deliveryId: deliveryId), workflows.Object, CancellationToken.None);
        var again = await Handler().PostAsync(Request(body, apiKey: ApiKey, deliveryId: deliveryId), workflows.Object, CancellationToken.None);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(400, problem.StatusCode);
        var caseId = $"intake-generic-{deliveryId}";
        Assert.Equal($"Required field(s) missing: shippingAddress. Kept for review as case {caseId}.", problem.ProblemDetails.Detail);
        Assert.Equal(400, Assert.IsType<ProblemHttpResult>(again).StatusCode);
        var c = (await cases.GetAsync(caseId))!;
        Assert.Equal((ExceptionReason.IntakeRejected, false), (c.Reason, c.AwaitsWorkflow));
        Assert.DoesNotContain(TestOrders.Email, c.Error, StringComparison.Ordinal);
        Assert.Single(await cases.ListOpenAsync(), open => open.CaseId.Contains(deliveryId, StringComparison.Ordinal));
        var recorded = await deliveries.GetAsync(GenericOrderHandler.FallbackSource, deliveryId);
        Assert.Equal(DeliveryOutcomes.RejectedUnmappable, recorded!.Outcome);
        Assert.Equal(Encoding.UTF8.GetString(body), recorded.RawPayload);
        workflows.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("shopify")]
    [InlineData("WooCommerce")]
    [InlineData("stripe")]
    [InlineData("easypost")]
    [InlineData("fulfillment")]
    [InlineData("generic")]
    public async Task PostAsync_ChannelOwnedSource_400(string source)
    {
        var body = Body(Guid.NewGuid().ToString("N"), source: source);

        var result = await Handler().PostAsync(Request(body, apiKey: ApiKey), workflows.Object, CancellationToken.None);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(400, problem.StatusCode);
        Assert.Contains("\"source\" must be", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task PostAsync_SourceWithDash_400SoSourceAndIdCannotTradeADash()
    {
        // Before: source "a-b" + id "c" and source "a" + id "b-c" were both order "a-b-c".
        var stem = Guid.NewGuid().ToString("N")[..8];
        var dashed = Body("c", source: $"a{stem}-b");
        var plain = Body("b-c", source: $"a{stem}");

        var refused = await Handler().PostAsync(Request(dashed, apiKey: ApiKey), workflows.Object, CancellationToken.None);
        var accepted = await Handler().PostAsync(Request(plain, apiKey: ApiKey), workflows.Object, CancellationToken.None);

        Assert.Equal(400, Assert.IsType<ProblemHttpResult>(refused).StatusCode);
        Assert.Equal($"a{stem}-b-c", Assert.IsType<Accepted<IntakeResponse>>(accepted).Value!.OrderId);
    }

    [Fact]
    public async Task PostAsync_ReusedDeliveryIdWithAnotherOrder_409AndTheBodyIsKept()
    {
        var deliveryId = Guid.NewGuid().ToString("N");
        var first = Body(Guid.NewGuid().ToString("N"));
        await Handler().PostAsync(Request(first, apiKey: ApiKey, deliveryId: deliveryId), workflows.Object, CancellationToken.None);
        var secondId = Guid.NewGuid().ToString("N");
        var second = Body(secondId);

        var result = await Handler().PostAsync(Request(second, apiKey: ApiKey, deliveryId: deliveryId), workflows.Object, CancellationToken.None);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.StartsWith($"Delivery {deliveryId} was already received with different content", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), $"pos-{secondId}", It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task PostAsync_SameExternalIdWithChangedContent_409NamesOrderAndFirstDelivery()
    {
        var externalId = Guid.NewGuid().ToString("N");
        var firstDelivery = Guid.NewGuid().ToString("N");
        await Handler().PostAsync(Request(Body(externalId), apiKey: ApiKey, deliveryId: firstDelivery), workflows.Object, CancellationToken.None);
        workflows.Setup(w => w.StartAsync(It.IsAny<string>(), $"pos-{externalId}", It.IsAny<object>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        var changed = JsonSerializer.SerializeToUtf8Bytes(
            JsonSerializer.Deserialize<OrderFlow.Domain.Orders.Order>(Body(externalId), IntegrationJson.Options)! with { OrderNumber = "#changed" },
            IntegrationJson.Options);

        var result = await Handler().PostAsync(Request(changed, apiKey: ApiKey, deliveryId: Guid.NewGuid().ToString("N")), workflows.Object, CancellationToken.None);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.Equal($"Order pos-{externalId} was already received with different content (delivery {firstDelivery}).", problem.ProblemDetails.Detail);
    }

    [Fact]
    public async Task PostAsync_LongDeliveryIdUnsigned_401NotAStorageError()
    {
        var deliveryId = new string('4', 3000);

        var result = await Handler().PostAsync(Request(Body(Guid.NewGuid().ToString("N")), signature: "bad", deliveryId: deliveryId), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Equal(DeliveryOutcomes.RejectedSignature, (await deliveries.GetAsync(GenericOrderHandler.FallbackSource, deliveryId))!.Outcome);
    }

    [Fact]
    public async Task PostAsync_LongDeliveryIdSigned_400NamesHeaderAndLimit()
    {
        var result = await Handler().PostAsync(Request(Body(Guid.NewGuid().ToString("N")), apiKey: ApiKey, deliveryId: new string('4', 257)), workflows.Object, CancellationToken.None);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(400, problem.StatusCode);
        Assert.Equal($"{GenericOrderHandler.DeliveryIdHeader} is 257 characters; at most 256 are accepted.", problem.ProblemDetails.Detail);
        workflows.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(300)]
    [InlineData(2000)]
    public async Task PostAsync_ExternalIdOverLimit_422NamesFieldAndNothingStarted(int length)
    {
        var result = await Handler().PostAsync(Request(Body(new string('x', length)), apiKey: ApiKey), workflows.Object, CancellationToken.None);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(422, problem.StatusCode);
        Assert.StartsWith($"externalId: The channel order id is {length} characters; at most 256", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task PostAsync_LongExternalIdWithinLimit_AcceptedUnderBoundedId()
    {
        var externalId = "@" + Guid.NewGuid().ToString("N") + new string('x', 150);

        var result = await Handler().PostAsync(Request(Body(externalId), apiKey: ApiKey), workflows.Object, CancellationToken.None);

        var orderId = Assert.IsType<Accepted<IntakeResponse>>(result).Value!.OrderId;
        Assert.True(orderId.Length <= OrderFlow.Domain.Orders.OrderIds.MaxOrderIdLength, orderId);
        Assert.StartsWith("pos-", orderId, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("UNSET")]
    public async Task PostAsync_SecretNotSet_503(string secret)
    {
        var body = Body(Guid.NewGuid().ToString("N"));

        var result = await Handler(secret).PostAsync(Request(body, apiKey: secret), workflows.Object, CancellationToken.None);

        Assert.Equal(503, Assert.IsType<ProblemHttpResult>(result).StatusCode);
    }

    [Fact]
    public async Task PostAsync_SigningSecretSentAsApiKey_401()
    {
        var deliveryId = Guid.NewGuid().ToString("N");

        var result = await Handler().PostAsync(Request(Body(deliveryId), apiKey: Secret, deliveryId: deliveryId), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        workflows.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("")]
    [InlineData("UNSET")]
    public async Task PostAsync_NoApiKeyConfigured_ApiKeyHeaderRefused(string configured)
    {
        var result = await Handler(apiKey: configured).PostAsync(Request(Body(Guid.NewGuid().ToString("N")), apiKey: configured), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public void IntakeOptions_ApiKeyEqualToSecret_FailsValidationNamingTheKey()
    {
        var options = new IntakeOptions { ShopifyWebhookSecret = "shopify-secret", FulfillmentCallbackSecret = "callback-secret", GenericSecret = ApiKey, GenericApiKey = ApiKey };

        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);

        Assert.Contains(results, r => r.ErrorMessage!.StartsWith("Intake:GenericApiKey equals Intake:GenericSecret", StringComparison.Ordinal));
    }

    private GenericOrderHandler Handler(string secret = Secret, string apiKey = ApiKey)
    {
        return new GenericOrderHandler(
            deliveries,
            Microsoft.Extensions.Options.Options.Create(new IntakeOptions { GenericSecret = secret, GenericApiKey = apiKey }),
            TestIntake.Create(deliveries),
            new UnmappableDeliveries(deliveries, cases, TimeProvider.System, NullLogger<UnmappableDeliveries>.Instance),
            TimeProvider.System,
            NullLogger<GenericOrderHandler>.Instance);
    }

    private static byte[] Body(string externalId, string source = "pos")
    {
        var order = TestOrders.Create(orderId: "ignored-client-id") with { Source = source, ExternalId = externalId, PaymentReference = $"pi_{externalId}" };
        return JsonSerializer.SerializeToUtf8Bytes(order, IntegrationJson.Options);
    }

    private static HttpRequest Request(byte[] body, string? signature = null, string? apiKey = null, string? deliveryId = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        if (signature is not null)
        {
            context.Request.Headers[GenericOrderHandler.SignatureHeader] = signature;
        }

        if (apiKey is not null)
        {
            context.Request.Headers[GenericOrderHandler.ApiKeyHeader] = apiKey;
        }

        if (deliveryId is not null)
        {
            context.Request.Headers[GenericOrderHandler.DeliveryIdHeader] = deliveryId;
        }

        return context.Request;
    }
}
