using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Api.Tests.Infrastructure;
using OrderFlow.Api.Webhooks;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Security;

namespace OrderFlow.Api.Tests.Fulfillment;

/// <summary>
/// The location callback on Azurite (orders, deliveries); the workflow client is a mock that records raised events.
/// </summary>
public sealed class FulfillmentEventsHandlerTests : IClassFixture<StorageFixture>
{
    private const string Secret = "fulfillment-callback-secret-0123";
    private const string PreviousSecret = "fulfillment-callback-secret-old0";
    private const string WestSecret = "wh-west-own-callback-key-0123";
    private const string WestPreviousSecret = "wh-west-old-callback-key-0123";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private readonly TableDeliveryStore deliveries;
    private readonly TableOrderStore orders;
    private readonly PickListStore picks;
    private readonly Mock<IWorkflowClient> workflows = new();
    private readonly List<(string EventName, FulfillmentConfirmation Payload)> raised = [];
    private readonly FulfillmentEventsHandler handler;

    public FulfillmentEventsHandlerTests(StorageFixture storage)
    {
        deliveries = new TableDeliveryStore(storage.Tables, NullLogger<TableDeliveryStore>.Instance);
        orders = new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance);
        picks = new PickListStore(storage.Tables);
        workflows.Setup(w => w.GetStatusAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new WorkflowStatus(id, "Running", null, null, Now));
        workflows.Setup(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, object, CancellationToken>((_, name, payload, _) => raised.Add((name, (FulfillmentConfirmation)payload)))
            .Returns(Task.CompletedTask);
        handler = Handler(new IntakeOptions { FulfillmentCallbackSecret = Secret });
    }

    [Fact]
    public async Task PostAsync_ShippedTwiceWithOneEventId_RaisesOneEventAndTheSecondAnswerIsDuplicate()
    {
        var (order, fulfillmentId) = await AwaitingOrderAsync();
        var body = """{"status":"shipped","eventId":"evt-3pl-1","occurredAt":"2026-11-26T11:58:00Z"}""";

        var first = await handler.PostAsync(fulfillmentId, Signed(fulfillmentId, body), workflows.Object, CancellationToken.None);
        var second = await handler.PostAsync(fulfillmentId, Signed(fulfillmentId, body), workflows.Object, CancellationToken.None);

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

        var first = await handler.PostAsync(fulfillmentId, Signed(fulfillmentId, body), workflows.Object, CancellationToken.None);
        var second = await handler.PostAsync(fulfillmentId, Signed(fulfillmentId, body), workflows.Object, CancellationToken.None);

        Assert.Equal(DeliveryOutcomes.Accepted, Assert.IsType<Accepted<FulfillmentEventResponse>>(first).Value!.Status);
        Assert.Equal(DeliveryOutcomes.Duplicate, Assert.IsType<Ok<FulfillmentEventResponse>>(second).Value!.Status);
        var payload = Assert.Single(raised).Payload;
        Assert.Equal((FulfillmentConfirmation.Rejected, "water damage"), (payload.Status, payload.Reason));
    }

    [Fact]
    public async Task PostAsync_Picked_RecordedOnTheFulfillmentAndTimelineNotSentToTheWorkflow()
    {
        var (order, fulfillmentId) = await AwaitingOrderAsync();

        var result = await handler.PostAsync(fulfillmentId, Signed(fulfillmentId, """{"status":"picked","eventId":"evt-pick-1","occurredAt":"2026-11-26T10:00:00Z"}"""), workflows.Object, CancellationToken.None);

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

        var result = await handler.PostAsync(fulfillmentId, Signed(fulfillmentId, """{"status":"picked","eventId":"evt-pick-late"}"""), workflows.Object, CancellationToken.None);

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
            Signed(fulfillmentId, """{"status":"short","eventId":"evt-short-1","reason":"bin empty","shortLines":[{"sku":"SKU-MUG","quantity":1}]}"""),
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
    [InlineData("""{"status":"short","eventId":"e6","shortLines":[{"sku":"SKU-MUG","quantity":2147483647},{"sku":"SKU-MUG","quantity":1}]}""", "\"shortLines[0].quantity\" is 2147483647; at most 100000")]
    [InlineData("""{"status":"short","eventId":"e7","shortLines":[{"sku":"SKU-MUG","quantity":1},{"sku":"SKU-MUG","quantity":100001}]}""", "\"shortLines[1].quantity\" is 100001; at most 100000")]
    public async Task PostAsync_BadShortOrUnknownStatus_400AndNothingRaised(string body, string expected)
    {
        var (_, fulfillmentId) = await AwaitingOrderAsync();

        var result = await handler.PostAsync(fulfillmentId, Signed(fulfillmentId, body), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status400BadRequest, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Contains(expected, Assert.IsType<ProblemHttpResult>(result).ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Empty(raised);
    }

    [Fact]
    public async Task PostAsync_BadSignature_401AndNothingRaised()
    {
        var (_, fulfillmentId) = await AwaitingOrderAsync();
        var body = """{"status":"shipped","eventId":"evt-forged"}""";

        var result = await handler.PostAsync(fulfillmentId, Post(body, Sign(fulfillmentId, body, "not-the-secret")), workflows.Object, CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Empty(raised);
    }

    [Fact]
    public async Task PostAsync_ShippedSignedForAnotherOrdersFulfillment_401AndThatOrderDoesNotMove()
    {
        var (_, signedFor) = await AwaitingOrderAsync();
        var (target, targetId) = await AwaitingOrderAsync();
        var body = """{"status":"shipped","eventId":"evt-replayed"}""";

        var result = await handler.PostAsync(targetId, Post(body, Sign(signedFor, body, Secret)), workflows.Object, CancellationToken.None);

        AssertUnauthorized(result, "does not match POST /api/fulfillments/" + targetId + "/events");
        Assert.Empty(raised);
        Assert.Equal("awaiting-confirmation", Assert.Single((await orders.GetAsync(target.OrderId))!.Fulfillments).Status);
        Assert.Null(await deliveries.GetAsync(FulfillmentEventsHandler.Source, $"{targetId}:evt-replayed"));
    }

    [Fact]
    public async Task PostAsync_BodyOnlySignatureOfTheOldScheme_401()
    {
        var (_, fulfillmentId) = await AwaitingOrderAsync();
        var body = """{"status":"shipped","eventId":"evt-old-scheme"}""";

        var result = await handler.PostAsync(fulfillmentId, Post(body, HmacSignature.Sign(Encoding.UTF8.GetBytes(body), Secret)), workflows.Object, CancellationToken.None);

        AssertUnauthorized(result, "t=<unix seconds>,v1=<hex HMAC-SHA256>");
        Assert.Empty(raised);
    }

    [Theory]
    [InlineData(-301, "301 s old")]
    [InlineData(301, "301 s in the future")]
    [InlineData(-3600, "3600 s old")]
    public async Task PostAsync_TimestampOutsideTheTolerance_401NamingTheSkew(int offsetSeconds, string expected)
    {
        var (_, fulfillmentId) = await AwaitingOrderAsync();
        var body = """{"status":"shipped","eventId":"evt-stale"}""";

        var result = await handler.PostAsync(fulfillmentId, Post(body, Sign(fulfillmentId, body, Secret, Now.AddSeconds(offsetSeconds))), workflows.Object, CancellationToken.None);

        AssertUnauthorized(result, expected);
        Assert.Empty(raised);
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public async Task PostAsync_TimestampAtTheEdgeOfTheTolerance_Accepted(int offsetSeconds)
    {
        var (_, fulfillmentId) = await AwaitingOrderAsync();
        var body = """{"status":"shipped","eventId":"evt-edge"}""";

        var result = await handler.PostAsync(fulfillmentId, Post(body, Sign(fulfillmentId, body, Secret, Now.AddSeconds(offsetSeconds))), workflows.Object, CancellationToken.None);

        Assert.IsType<Accepted<FulfillmentEventResponse>>(result);
        Assert.Single(raised);
    }

    [Fact]
    public async Task PostAsync_SharedKeyBeingRotated_OldAndNewAcceptedAnUnrelatedOneRefused()
    {
        var rotating = Handler(new IntakeOptions { FulfillmentCallbackSecret = Secret, FulfillmentCallbackPreviousSecret = PreviousSecret });
        var (_, fulfillmentId) = await AwaitingOrderAsync();
        const string New = """{"status":"rejected","eventId":"evt-new-key","reason":"x"}""";
        const string Old = """{"status":"rejected","eventId":"evt-old-key","reason":"x"}""";
        const string Unrelated = """{"status":"rejected","eventId":"evt-other-key","reason":"x"}""";
        var validKeyOtherTarget = $"{Sign(fulfillmentId, Unrelated, "an-unrelated-secret-0123")},v1={Convert.ToHexStringLower(CallbackSignature.Compute(Secret, Now.ToUnixTimeSeconds(), "POST", "/api/fulfillments/x-F1/events", []))}";

        var withNew = await rotating.PostAsync(fulfillmentId, Post(New, Sign(fulfillmentId, New, Secret)), workflows.Object, CancellationToken.None);
        var withOld = await rotating.PostAsync(fulfillmentId, Post(Old, Sign(fulfillmentId, Old, PreviousSecret)), workflows.Object, CancellationToken.None);
        var withOther = await rotating.PostAsync(fulfillmentId, Post(Unrelated, Sign(fulfillmentId, Unrelated, "an-unrelated-secret-0123")), workflows.Object, CancellationToken.None);
        var withNothingValid = await rotating.PostAsync(fulfillmentId, Post(Unrelated, validKeyOtherTarget), workflows.Object, CancellationToken.None);

        Assert.IsType<Accepted<FulfillmentEventResponse>>(withNew);
        Assert.IsType<Accepted<FulfillmentEventResponse>>(withOld);
        AssertUnauthorized(withOther, "does not match");
        AssertUnauthorized(withNothingValid, "does not match");
        Assert.Equal(2, raised.Count);
    }

    [Fact]
    public async Task PostAsync_SeveralV1EntriesOneOfThemValid_Accepted()
    {
        var (_, fulfillmentId) = await AwaitingOrderAsync();
        var body = """{"status":"shipped","eventId":"evt-two-sigs"}""";
        var valid = Sign(fulfillmentId, body, Secret);
        var header = $"{Sign(fulfillmentId, body, "a-new-key-not-yet-deployed")},{valid[(valid.IndexOf(',', StringComparison.Ordinal) + 1)..]}";

        var result = await handler.PostAsync(fulfillmentId, Post(body, header), workflows.Object, CancellationToken.None);

        Assert.IsType<Accepted<FulfillmentEventResponse>>(result);
    }

    [Fact]
    public async Task PostAsync_LocationWithItsOwnKey_OnlyItsKeysAcceptedForItsFulfillments()
    {
        var partners = new FulfillmentPartnersOptions
        {
            Locations = [new FulfillmentPartnerOptions { Location = "WH-WEST", Secret = WestSecret, PreviousSecret = WestPreviousSecret }],
        };
        var perLocation = Handler(new IntakeOptions { FulfillmentCallbackSecret = Secret }, partners);
        var (_, east) = await AwaitingOrderAsync();
        var (_, west) = await AwaitingOrderAsync(location: "WH-WEST");
        const string Body = """{"status":"rejected","eventId":"evt-key","reason":"x"}""";

        var westKeyForEast = await perLocation.PostAsync(east, Post(Body, Sign(east, Body, WestSecret)), workflows.Object, CancellationToken.None);
        var sharedKeyForWest = await perLocation.PostAsync(west, Post(Body, Sign(west, Body, Secret)), workflows.Object, CancellationToken.None);
        var sharedKeyForEast = await perLocation.PostAsync(east, Post(Body, Sign(east, Body, Secret)), workflows.Object, CancellationToken.None);
        var westPreviousKeyForWest = await perLocation.PostAsync(west, Post(Body, Sign(west, Body, WestPreviousSecret)), workflows.Object, CancellationToken.None);

        AssertUnauthorized(westKeyForEast, "location WH-WEST's key");
        AssertUnauthorized(sharedKeyForWest, "the shared callback key");
        Assert.IsType<Accepted<FulfillmentEventResponse>>(sharedKeyForEast);
        Assert.IsType<Accepted<FulfillmentEventResponse>>(westPreviousKeyForWest);
        Assert.Equal([east, west], raised.Select(r => r.Payload.FulfillmentId));
    }

    [Fact]
    public async Task PostAsync_ShortWithTooManyLinesOrTooLongEventId_400NamingTheLimit()
    {
        var (_, fulfillmentId) = await AwaitingOrderAsync();
        var lines = string.Join(",", Enumerable.Repeat("""{"sku":"SKU-MUG","quantity":1}""", FulfillmentEventsHandler.MaxShortLines + 1));
        var manyLines = $$"""{"status":"short","eventId":"many","shortLines":[{{lines}}]}""";
        var longId = $$"""{"status":"shipped","eventId":"{{new string('e', FulfillmentEventsHandler.MaxEventIdChars + 1)}}"}""";

        var many = await handler.PostAsync(fulfillmentId, Signed(fulfillmentId, manyLines), workflows.Object, CancellationToken.None);
        var tooLong = await handler.PostAsync(fulfillmentId, Signed(fulfillmentId, longId), workflows.Object, CancellationToken.None);

        Assert.Contains($"at most {FulfillmentEventsHandler.MaxShortLines}", Assert.IsType<ProblemHttpResult>(many).ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Contains($"\"eventId\" must be at most {FulfillmentEventsHandler.MaxEventIdChars}", Assert.IsType<ProblemHttpResult>(tooLong).ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.All([many, tooLong], r => Assert.Equal(StatusCodes.Status400BadRequest, Assert.IsAssignableFrom<IStatusCodeHttpResult>(r).StatusCode));
        Assert.Empty(raised);
    }

    [Fact]
    public async Task PostAsync_ConcurrentDuplicatePicked_NotedOnceTheOthersAnswerDuplicate()
    {
        var (order, fulfillmentId) = await AwaitingOrderAsync();
        var body = """{"status":"picked","eventId":"evt-pick-concurrent"}""";

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => handler.PostAsync(fulfillmentId, Signed(fulfillmentId, body), workflows.Object, CancellationToken.None))));

        var statuses = results.Select(r => Assert.IsType<Ok<FulfillmentEventResponse>>(r).Value!.Status).ToList();
        Assert.Equal(1, statuses.Count(s => s == FulfillmentEventsHandler.Recorded));
        Assert.Equal(7, statuses.Count(s => s == DeliveryOutcomes.Duplicate));
        var record = await orders.GetAsync(order.OrderId);
        Assert.Equal(FulfillmentConfirmation.Picked, Assert.Single(record!.Fulfillments).Status);
        Assert.Single(record.Timeline, t => t.Kind == "fulfillment" && t.Message.Contains("picked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostAsync_PickedThenShippedForAHandedOffPickList_ThePickListFollowsAndLeavesTheOpenList()
    {
        var (order, fulfillmentId) = await AwaitingOrderAsync();
        await picks.RecordHandoffAsync(new PickListMessage(order.OrderId, fulfillmentId, "WH-EAST", [new FulfillmentLine("SKU-MUG", 2)], "9405500000000000000001", $"{order.OrderId}:dispatch-F1"), Now);

        await handler.PostAsync(fulfillmentId, Signed(fulfillmentId, """{"status":"picked","eventId":"evt-pick"}"""), workflows.Object, CancellationToken.None);
        Assert.Equal(PickListEntry.Picked, (await picks.GetAsync("WH-EAST", fulfillmentId))!.Status);
        var shipped = await handler.PostAsync(fulfillmentId, Signed(fulfillmentId, """{"status":"shipped","eventId":"evt-ship"}"""), workflows.Object, CancellationToken.None);

        Assert.IsType<Accepted<FulfillmentEventResponse>>(shipped);
        Assert.Equal(PickListEntry.Shipped, (await picks.GetAsync("WH-EAST", fulfillmentId))!.Status);
        Assert.DoesNotContain((await picks.ListOpenAsync("WH-EAST", max: 1000)).Picks, p => p.FulfillmentId == fulfillmentId);
    }

    private static void AssertUnauthorized(IResult result, string expected)
    {
        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status401Unauthorized, problem.StatusCode);
        Assert.Contains(FulfillmentEventsHandler.SignatureHeader, problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Contains(expected, problem.ProblemDetails.Detail, StringComparison.Ordinal);
    }

    private async Task<(Order Order, string FulfillmentId)> AwaitingOrderAsync(string status = "awaiting-confirmation", string location = "WH-EAST")
    {
        var order = TestOrders.Create();
        await orders.CreateAsync(order, Now);
        var fulfillmentId = OrderIds.Fulfillment(order.OrderId, 1);
        await orders.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(
            fulfillmentId, location, [new FulfillmentLine("SKU-MUG", 2), new FulfillmentLine("SKU-TEE", 1)], status, "USPS", "9405500000000000000001", null, null));
        return (order, fulfillmentId);
    }

    private FulfillmentEventsHandler Handler(IntakeOptions intake, FulfillmentPartnersOptions? partners = null)
    {
        var clock = new ManualClock(Now);
        var intakeOptions = Microsoft.Extensions.Options.Options.Create(intake);
        return new FulfillmentEventsHandler(
            intakeOptions,
            new CallbackAuthenticator(intakeOptions, Microsoft.Extensions.Options.Options.Create(partners ?? new FulfillmentPartnersOptions()), clock),
            new FulfillmentEventProcessor(orders, deliveries, deliveries, picks, clock, NullLogger<FulfillmentEventProcessor>.Instance),
            NullLogger<FulfillmentEventsHandler>.Instance);
    }

    /// <summary>X-OrderFlow-Signature for <paramref name="body"/> posted to <paramref name="fulfillmentId"/>'s events route.</summary>
    private static string Sign(string fulfillmentId, string body, string secret, DateTimeOffset? at = null) =>
        CallbackSignature.Sign(secret, at ?? Now, "POST", $"/api/fulfillments/{fulfillmentId}/events", Encoding.UTF8.GetBytes(body));

    /// <summary>Signed correctly, with the shared key, for <paramref name="fulfillmentId"/>.</summary>
    private static HttpRequest Signed(string fulfillmentId, string body) => Post(body, Sign(fulfillmentId, body, Secret));

    private static HttpRequest Post(string body, string signature) => TestRequests.JsonPost(body, FulfillmentEventsHandler.SignatureHeader, signature);

    [Fact]
    public void CallbackPathTemplate_OfTheHandOffsIsTheFulfillmentEventsRoute() =>
        Assert.Equal($"/{ApiRoutes.Prefix}/{ApiRoutes.FulfillmentEvents}", OrderFlow.Integrations.Fulfillment.FulfillmentHandoffReader.CallbackPathTemplate);
}
