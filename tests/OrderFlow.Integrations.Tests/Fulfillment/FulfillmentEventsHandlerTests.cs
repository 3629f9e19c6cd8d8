using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Security;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Tests.Fulfillment;

/// <summary>
/// The location callback on Azurite (orders, deliveries); the workflow client is a mock that records raised events.
/// </summary>
public sealed class FulfillmentEventsHandlerTests : IClassFixture<StorageFixture>
{
    private const string Secret = "fulfillment-callback-secret-0123";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private readonly TableDeliveryStore deliveries;
    private readonly TableOrderStore orders;
    private readonly Mock<IWorkflowClient> workflows = new();
    private readonly List<(string EventName, FulfillmentConfirmation Payload)> raised = [];
    private readonly FulfillmentEventsHandler handler;

    public FulfillmentEventsHandlerTests(StorageFixture storage)
    {
        deliveries = new TableDeliveryStore(storage.Tables, NullLogger<TableDeliveryStore>.Instance);
        orders = new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance);
        workflows.Setup(w => w.GetStatusAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new WorkflowStatus(id, "Running", null, null, Now));
        workflows.Setup(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, object, CancellationToken>((_, name, payload, _) => raised.Add((name, (FulfillmentConfirmation)payload)))
            .Returns(Task.CompletedTask);
        handler = new FulfillmentEventsHandler(
            Microsoft.Extensions.Options.Options.Create(new IntakeOptions { FulfillmentCallbackSecret = Secret }),
            orders,
            deliveries,
            deliveries,
            new ManualClock(Now),
            NullLogger<FulfillmentEventsHandler>.Instance);
    }

    [Fact]
    public async Task PostAsync_ShippedTwiceWithOneEventId_RaisesOneEventAndTheSecondAnswerIsDuplicate()
    {
        var (order, fulfillmentId) = await AwaitingOrderAsync();
        var body = """{"status":"shipped","eventId":"evt-3pl-1","occurredAt":"2026-11-26T11:58:00Z"}""";

        var first = await handler.PostAsync(fulfillmentId, Post(body), workflows.Object, CancellationToken.None);
        var second = await handler.PostAsync(fulfillmentId, Post(body), workflows.Object, CancellationToken.None);

        Assert.Equal(new FulfillmentEventResponse("evt-3pl-1", DeliveryOutcomes.Accepted, order.OrderId, fulfillmentId), Assert.IsType<Accepted<FulfillmentEventResponse>>(first).Value);
        Assert.Equal(new FulfillmentEventResponse("evt-3pl-1", DeliveryOutcomes.Duplicate, order.OrderId, fulfillmentId), Assert.IsType<Ok<FulfillmentEventResponse>>(second).Value);
        var (name, payload) = Assert.Single(raised);
        Assert.Equal((FulfillmentConfirmation.EventName(fulfillmentId), FulfillmentConfirmation.Shipped, fulfillmentId), (name, payload.Status, payload.FulfillmentId));
        Assert.Null(payload.ShortLines);
    }

    [Fact]
    public async Task PostAsync_SameBodyWithoutEventIdTwice_DedupedOnTheBody()
    {
        var (_, fulfillmentId) = await AwaitingOrderAsync();
        var body = """{"status":"rejected","reason":"water damage"}""";

        var first = await handler.PostAsync(fulfillmentId, Post(body), workflows.Object, CancellationToken.None);
        var second = await handler.PostAsync(fulfillmentId, Post(body), workflows.Object, CancellationToken.None);

        Assert.Equal(DeliveryOutcomes.Accepted, Assert.IsType<Accepted<FulfillmentEventResponse>>(first).Value!.Status);
        Assert.Equal(DeliveryOutcomes.Duplicate, Assert.IsType<Ok<FulfillmentEventResponse>>(second).Value!.Status);
        var payload = Assert.Single(raised).Payload;
        Assert.Equal((FulfillmentConfirmation.Rejected, "water damage"), (payload.Status, payload.Reason));
    }

    [Fact]
    public async Task PostAsync_Picked_RecordedOnTheFulfillmentAndTimelineNotSentToTheWorkflow()
    {
        var (order, fulfillmentId) = await AwaitingOrderAsync();

        var result = await handler.PostAsync(fulfillmentId, Post("""{"status":"picked","eventId":"evt-pick-1","occurredAt":"2026-11-26T10:00:00Z"}"""), workflows.Object, CancellationToken.None);

        Assert.Equal(FulfillmentEventsHandler.Recorded, Assert.IsType<Ok<FulfillmentEventResponse>>(result).Value!.Status);
        Assert.Empty(raised);
        var record = await orders.GetAsync(order.OrderId);
        Assert.Equal(FulfillmentConfirmation.Picked, Assert.Single(record!.Fulfillments).Status);
        Assert.Contains(record.Timeline, t => t.Kind == "fulfillment" && t.Message.Contains($"{fulfillmentId} was picked at WH-EAST", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostAsync_PickedAfterShipped_NotedButTheStatusStays()
    {
        var (order, fulfillmentId) = await AwaitingOrderAsync(status: "shipped");

        var result = await handler.PostAsync(fulfillmentId, Post("""{"status":"picked","eventId":"evt-pick-late"}"""), workflows.Object, CancellationToken.None);

        Assert.IsType<Ok<FulfillmentEventResponse>>(result);
        var record = await orders.GetAsync(order.OrderId);
        Assert.Equal("shipped", Assert.Single(record!.Fulfillments).Status);
        Assert.Contains(record.Timeline, t => t.Message.Contains("recorded, not applied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostAsync_ShortWithLines_RaisesTheConfirmationCarryingTheShortLines()
    {
        var (_, fulfillmentId) = await AwaitingOrderAsync();

        var result = await handler.PostAsync(
            fulfillmentId,
            Post("""{"status":"short","eventId":"evt-short-1","reason":"bin empty","shortLines":[{"sku":"SKU-MUG","quantity":1}]}"""),
            workflows.Object,
            CancellationToken.None);

        Assert.IsType<Accepted<FulfillmentEventResponse>>(result);
        var payload = Assert.Single(raised).Payload;
        Assert.Equal((FulfillmentConfirmation.Short, "bin empty"), (payload.Status, payload.Reason));
        Assert.Equal([new FulfillmentLine("SKU-MUG", 1)], payload.ShortLines);
    }

    [Theory]
    [InlineData("""{"status":"short","eventId":"e1"}""", "\"shortLines\"")]
    [InlineData("""{"status":"short","eventId":"e2","shortLines":[{"sku":"SKU-MUG","quantity":0}]}""", "quantity above 0")]
    [InlineData("""{"status":"short","eventId":"e3","shortLines":[{"sku":"SKU-MUG","quantity":3}]}""", "holds 2")]
    [InlineData("""{"status":"short","eventId":"e4","shortLines":[{"sku":"SKU-HAT","quantity":1}]}""", "'SKU-HAT'")]
    [InlineData("""{"status":"lost","eventId":"e5"}""", "picked, shipped, rejected, short")]
    public async Task PostAsync_BadShortOrUnknownStatus_400AndNothingRaised(string body, string expected)
    {
        var (_, fulfillmentId) = await AwaitingOrderAsync();

        var result = await handler.PostAsync(fulfillmentId, Post(body), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status400BadRequest, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Contains(expected, Assert.IsType<ProblemHttpResult>(result).ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Empty(raised);
    }

    [Fact]
    public async Task PostAsync_BadSignature_401AndNothingRaised()
    {
        var (_, fulfillmentId) = await AwaitingOrderAsync();
        var body = """{"status":"shipped","eventId":"evt-forged"}""";

        var result = await handler.PostAsync(fulfillmentId, Post(body, HmacSignature.Sign(Encoding.UTF8.GetBytes(body), "not-the-secret")), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Empty(raised);
    }

    private async Task<(Order Order, string FulfillmentId)> AwaitingOrderAsync(string status = "awaiting-confirmation")
    {
        var order = TestOrders.Create();
        await orders.CreateAsync(order, Now);
        var fulfillmentId = OrderIds.Fulfillment(order.OrderId, 1);
        await orders.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(
            fulfillmentId, "WH-EAST", [new FulfillmentLine("SKU-MUG", 2), new FulfillmentLine("SKU-TEE", 1)], status, "USPS", "9405500000000000000001", null, null));
        return (order, fulfillmentId);
    }

    private static HttpRequest Post(string body) => Post(body, HmacSignature.Sign(Encoding.UTF8.GetBytes(body), Secret));

    private static HttpRequest Post(string body, string signature) => TestRequests.JsonPost(body, FulfillmentEventsHandler.SignatureHeader, signature);
}
