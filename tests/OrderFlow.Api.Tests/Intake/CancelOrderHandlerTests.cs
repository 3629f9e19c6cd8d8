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

namespace OrderFlow.Api.Tests.Intake;

/// <summary>POST /api/orders/{orderId}/cancel over an order stored on Azurite, with the workflow client mocked.</summary>
public sealed class CancelOrderHandlerTests : IClassFixture<StorageFixture>
{
    private const string Key = "test-operator-key-0123456789abcdef0123";

    private readonly TableOrderStore orders;
    private readonly Mock<IWorkflowClient> workflows = new();
    private readonly List<CancelOrderRequest> raised = [];

    public CancelOrderHandlerTests(StorageFixture storage)
    {
        orders = new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance);
        workflows.Setup(w => w.RaiseEventAsync(It.IsAny<string>(), CancelOrderRequest.EventName, It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, object payload, CancellationToken _) => raised.Add((CancelOrderRequest)payload))
            .Returns(Task.CompletedTask);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-0123456789abcdef0123456789")]
    public async Task PostAsync_MissingOrWrongKey_401AndNothingRaised(string? key)
    {
        var orderId = await StoredOrderAsync("Running");

        var result = await Handler().PostAsync(orderId, Request("""{"reason":"fraud"}""", key), workflows.Object, default);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        workflows.VerifyNoOtherCalls();
        Assert.DoesNotContain((await orders.GetAsync(orderId))!.Timeline, e => e.Kind == OrderCancellation.TimelineKind);
    }

    [Fact]
    public async Task PostAsync_UnknownOrder_404()
    {
        var result = await Handler().PostAsync($"missing-{Guid.NewGuid():N}", Request("""{"reason":"customer-request"}"""), workflows.Object, default);

        Assert.Equal(StatusCodes.Status404NotFound, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        workflows.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("""{"reason":"customer-request","lines":[{"sku":"SKU-NOPE","quantity":1}]}""", "SKU-NOPE")]
    [InlineData("""{"reason":"customer-request","lines":[{"sku":"SKU-MUG","quantity":3}]}""", "3 requested, but the order has 2")]
    [InlineData("""{"reason":"customer-request","lines":[{"sku":"SKU-MUG","quantity":2},{"sku":"SKU-MUG","quantity":1}]}""", "3 requested, but the order has 2")]
    [InlineData("""{"reason":"customer-request","lines":[{"sku":"SKU-TEE","quantity":0}]}""", "at least 1")]
    [InlineData("""{"reason":"changed-my-mind"}""", "reason must be one of")]
    [InlineData("""{"lines":[]}""", "reason must be one of")]
    public async Task PostAsync_BadLinesOrReason_422NamingTheProblemAndNothingRaised(string body, string expected)
    {
        var orderId = await StoredOrderAsync("Running");

        var result = await Handler().PostAsync(orderId, Request(body), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, problem.StatusCode);
        Assert.Contains(expected, problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Empty(raised);
    }

    [Fact]
    public async Task PostAsync_NotJson_400()
    {
        var orderId = await StoredOrderAsync("Running");

        var result = await Handler().PostAsync(orderId, Request("reason=fraud"), workflows.Object, default);

        Assert.Equal(StatusCodes.Status400BadRequest, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        Assert.Empty(raised);
    }

    [Fact]
    public async Task PostAsync_RunningWorkflow_202RaisesExactlyOneMappedRequestAndNotesTheTimeline()
    {
        var orderId = await StoredOrderAsync("Running");

        var result = await Handler().PostAsync(
            orderId,
            Request("""{"lines":[{"sku":"SKU-MUG","quantity":1}],"restock":false,"notifyCustomer":false,"reason":"out-of-stock"}"""),
            workflows.Object,
            default);

        var accepted = Assert.IsType<Accepted<CancelOrderResponse>>(result);
        Assert.Equal(orderId, accepted.Value!.OrderId);
        Assert.Equal($"/api/orders/{orderId}", accepted.Value.StatusUrl);
        workflows.Verify(w => w.RaiseEventAsync(orderId, CancelOrderRequest.EventName, It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
        var request = Assert.Single(raised);
        Assert.Equal(accepted.Value.RequestId, request.RequestId);
        Assert.Equal(new CancelLine("SKU-MUG", 1), Assert.Single(request.Lines!));
        Assert.False(request.Restock);
        Assert.True(request.Refund);
        Assert.False(request.NotifyCustomer);
        Assert.Equal("out-of-stock", request.Reason);
        Assert.Equal("operator", request.RequestedBy);
        var entry = Assert.Single((await orders.GetAsync(orderId))!.Timeline, e => e.Kind == OrderCancellation.TimelineKind);
        Assert.Contains(request.RequestId, entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOrders.Email, entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane", entry.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Pending")]
    [InlineData("Suspended")]
    public async Task PostAsync_NoLines_CancelsEverythingUnshippedWithDefaults(string status)
    {
        var orderId = await StoredOrderAsync(status);

        var result = await Handler().PostAsync(orderId, Request("""{"reason":"customer-request"}"""), workflows.Object, default);

        Assert.IsType<Accepted<CancelOrderResponse>>(result);
        var request = Assert.Single(raised);
        Assert.Null(request.Lines);
        Assert.True(request.Restock && request.Refund && request.NotifyCustomer);
    }

    [Fact]
    public async Task PostAsync_SameIdempotencyKey_SameRequestIdOtherKeyOrNoneDiffers()
    {
        var orderId = await StoredOrderAsync("Running");
        const string body = """{"reason":"fraud"}""";

        var first = await Handler().PostAsync(orderId, Request(body, idempotencyKey: "retry-me-1"), workflows.Object, default);
        var retry = await Handler().PostAsync(orderId, Request(body, idempotencyKey: "retry-me-1"), workflows.Object, default);
        var other = await Handler().PostAsync(orderId, Request(body, idempotencyKey: "retry-me-2"), workflows.Object, default);
        var none = await Handler().PostAsync(orderId, Request(body), workflows.Object, default);

        var ids = new[] { first, retry, other, none }.Select(r => Assert.IsType<Accepted<CancelOrderResponse>>(r).Value!.RequestId).ToList();
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(ids, raised.Select(r => r.RequestId));
        Assert.Equal(3, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("Completed")]
    [InlineData("Failed")]
    [InlineData("Terminated")]
    public async Task PostAsync_FinishedWorkflow_409PointsToReturnsAndNotesTheRefusal(string status)
    {
        var orderId = await StoredOrderAsync(status);

        var result = await Handler().PostAsync(orderId, Request("""{"reason":"customer-request"}"""), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.Contains($"already finished as {status}", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Contains($"POST /api/orders/{orderId}/returns", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Empty(raised);
        var entry = Assert.Single((await orders.GetAsync(orderId))!.Timeline, e => e.Kind == OrderCancellation.TimelineKind);
        Assert.Contains("refused", entry.Message, StringComparison.Ordinal);
    }

    private async Task<string> StoredOrderAsync(string runtimeStatus)
    {
        var order = TestOrders.Create();
        await orders.CreateAsync(order, DateTimeOffset.UtcNow);
        workflows.Setup(w => w.GetStatusAsync(order.OrderId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowStatus(order.OrderId, runtimeStatus, null, null, DateTimeOffset.UtcNow));
        return order.OrderId;
    }

    private CancelOrderHandler Handler() => new(
        orders,
        new OrderCancellation(orders, TimeProvider.System, NullLogger<OrderCancellation>.Instance),
        Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key }),
        NullLogger<CancelOrderHandler>.Instance);

    private static HttpRequest Request(string json, string? key = Key, string? idempotencyKey = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        if (key is not null)
        {
            context.Request.Headers[OperatorKey.Header] = key;
        }

        if (idempotencyKey is not null)
        {
            context.Request.Headers[CancelOrderHandler.IdempotencyKeyHeader] = idempotencyKey;
        }

        return context.Request;
    }
}
