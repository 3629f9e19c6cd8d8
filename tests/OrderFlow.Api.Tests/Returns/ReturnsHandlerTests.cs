using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Options;
using OrderFlow.Api.Returns;
using OrderFlow.Api.Webhooks;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Returns;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Security;

namespace OrderFlow.Api.Tests.Returns;

/// <summary>The return routes: operator key, the policy's 422 reasons, start under "return-{orderId}-{n}", and the signed receipt.</summary>
public sealed class ReturnsHandlerTests
{
    private const string Key = "test-operator-key-0123456789abcdef0123";
    private const string Secret = "callback-secret-0123456789";
    private const string EastSecret = "east-own-callback-key-0123";
    private const string WestSecret = "west-own-callback-key-0123";
    private const string OrderId = "shop-7001";
    private static readonly DateTimeOffset Shipped = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly Mock<IWorkflowClient> workflows = new();
    private readonly Mock<IOrderStore> orders = new();
    private readonly Mock<IReturnStore> returns = new();
    private readonly FulfillmentPartnersOptions partners = new();
    private DateTimeOffset now = Shipped.AddDays(5);

    public ReturnsHandlerTests()
    {
        orders.Setup(o => o.GetAsync(OrderId, It.IsAny<CancellationToken>())).ReturnsAsync(ShippedOrder());
        returns.Setup(r => r.ListForOrderAsync(OrderId, It.IsAny<CancellationToken>())).ReturnsAsync([]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-0123456789abcdef0123456789")]
    public async Task RequestAndGet_WithoutOrWithWrongOperatorKey_401AndNothingStarted(string? key)
    {
        var results = new[]
        {
            await Handler.RequestAsync(OrderId, Request(key, """{"lines":[{"sku":"MUG","quantity":1}],"reason":"too big"}"""), workflows.Object, default),
            await Handler.GetAsync($"return-{OrderId}-1", Request(key), workflows.Object, default),
        };

        Assert.All(results, r => Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(r).StatusCode));
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Request_WithinPolicy_202WithTheNextReturnIdAndStartsTheWorkflow()
    {
        var earlier = new ReturnRecord($"return-{OrderId}-1", OrderId, [new ReturnLine("MUG", 1)], "chipped", false, ReturnStatus.Refunded, "", Shipped, Shipped);
        returns.Setup(r => r.ListForOrderAsync(OrderId, It.IsAny<CancellationToken>())).ReturnsAsync([earlier]);
        object? input = null;
        workflows.Setup(w => w.StartAsync(nameof(ReturnOrchestrator), $"return-{OrderId}-2", It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, object i, CancellationToken _) => input = i)
            .ReturnsAsync(true);

        var result = await Handler.RequestAsync(OrderId, Request(Key, """{"lines":[{"sku":"MUG","quantity":1}],"reason":"too big","refundShipping":true}"""), workflows.Object, default);

        var (status, body) = await ExecuteAsync(result);
        Assert.Equal(StatusCodes.Status202Accepted, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal($"return-{OrderId}-2", json.RootElement.GetProperty("returnId").GetString());
        var started = Assert.IsType<ReturnWorkflowInput>(input);
        Assert.Equal((OrderId, "too big", true, 15, TimeSpan.FromDays(14)), (started.OrderId, started.Reason, started.RefundShipping, started.Rules.RestockingFeePercent, started.ReceiveDeadline));
        Assert.Equal(["GIFT-CARD"], started.Rules.NonReturnableSkus);
    }

    [Fact]
    public async Task Request_AgainstThePolicy_422ListingEveryReason()
    {
        now = Shipped.AddDays(31);

        var result = await Handler.RequestAsync(
            OrderId, Request(Key, """{"lines":[{"sku":"MUG","quantity":3},{"sku":"GIFT-CARD","quantity":1}],"reason":"changed my mind"}"""), workflows.Object, default);

        var (status, body) = await ExecuteAsync(result);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(
            ["The 30-day return window ended on 2026-12-01.", "GIFT-CARD is not returnable.", "MUG: 3 requested, 2 shipped and not yet returned."],
            json.RootElement.GetProperty("reasons").EnumerateArray().Select(e => e.GetString()));
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Request_UnknownOrder_404()
    {
        var result = await Handler.RequestAsync("shop-nope", Request(Key, """{"lines":[{"sku":"MUG","quantity":1}],"reason":"x"}"""), workflows.Object, default);

        Assert.Equal(StatusCodes.Status404NotFound, Assert.IsType<ProblemHttpResult>(result).StatusCode);
    }

    [Fact]
    public async Task Received_BadSignature_401AndNoEvent()
    {
        var body = """{"location":"east","units":[{"sku":"MUG","condition":"Resellable"}]}""";

        var returnId = $"return-{OrderId}-1";

        var result = await Handler.ReceivedAsync(returnId, Signed(body, Sign(returnId, body, "another-secret-123")), workflows.Object, default);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Received_SignedForAnotherReturn_401AndNoEventNorLookup()
    {
        var target = AwaitedReturn(ReturnStatus.Authorized);
        var body = """{"location":"east","units":[{"sku":"MUG","condition":"Resellable"}]}""";

        var result = await Handler.ReceivedAsync(target, Signed(body, Sign($"return-{OrderId}-2", body, Secret)), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status401Unauthorized, problem.StatusCode);
        Assert.Contains($"POST /api/returns/{target}/received", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
        returns.Verify(r => r.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("stale")]
    [InlineData("future")]
    [InlineData("body-only")]
    public async Task Received_StaleFutureOrBodyOnlySignature_401AndNoEvent(string kind)
    {
        var returnId = AwaitedReturn(ReturnStatus.Authorized);
        var body = """{"location":"east","units":[{"sku":"MUG","condition":"Resellable"}]}""";
        var signature = kind switch
        {
            "stale" => Sign(returnId, body, Secret, now.AddSeconds(-301)),
            "future" => Sign(returnId, body, Secret, now.AddSeconds(301)),
            _ => HmacSignature.Sign(Encoding.UTF8.GetBytes(body), Secret),
        };

        var result = await Handler.ReceivedAsync(returnId, Signed(body, signature), workflows.Object, default);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Received_LocationWithItsOwnKey_AnotherLocationsKeyAndTheSharedKeyRefused()
    {
        partners.Locations = [new() { Location = "east", Secret = EastSecret }, new() { Location = "west", Secret = WestSecret }];
        var returnId = AwaitedReturn(ReturnStatus.Authorized);
        var body = """{"location":"east","units":[{"sku":"MUG","condition":"Resellable"}]}""";
        workflows.Setup(w => w.RaiseEventAsync(returnId, ReturnReceipt.EventName(returnId), It.IsAny<object>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var westKey = await Handler.ReceivedAsync(returnId, Signed(body, Sign(returnId, body, WestSecret)), workflows.Object, default);
        var sharedKey = await Handler.ReceivedAsync(returnId, Signed(body, Sign(returnId, body, Secret)), workflows.Object, default);
        var eastKey = await Handler.ReceivedAsync(returnId, Signed(body, Sign(returnId, body, EastSecret)), workflows.Object, default);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(westKey).StatusCode);
        Assert.Contains("location west's key", Assert.IsType<ProblemHttpResult>(westKey).ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(sharedKey).StatusCode);
        Assert.Equal(StatusCodes.Status202Accepted, (await ExecuteAsync(eastKey)).Status);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Received_SignedForAnAwaitedReturn_202AndRaisesTheReceipt()
    {
        var returnId = AwaitedReturn(ReturnStatus.Authorized);
        var body = """{"location":"east","units":[{"sku":"MUG","condition":"Resellable"},{"sku":"MUG","condition":"Damaged"}]}""";
        object? raised = null;
        workflows.Setup(w => w.RaiseEventAsync(returnId, ReturnReceipt.EventName(returnId), It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, object e, CancellationToken _) => raised = e)
            .Returns(Task.CompletedTask);

        var result = await Handler.ReceivedAsync(returnId, SignedFor(returnId, body), workflows.Object, default);

        Assert.Equal(StatusCodes.Status202Accepted, (await ExecuteAsync(result)).Status);
        var receipt = Assert.IsType<ReturnReceipt>(raised);
        Assert.Equal("east", receipt.Location);
        Assert.Equal([UnitCondition.Resellable, UnitCondition.Damaged], receipt.Units.Select(u => u.Condition));
    }

    [Fact]
    public async Task Received_AlreadyReceived_409()
    {
        var returnId = AwaitedReturn(ReturnStatus.Received);

        var result = await Handler.ReceivedAsync(returnId, SignedFor(returnId, """{"location":"east","units":[]}"""), workflows.Object, default);

        Assert.Equal(StatusCodes.Status409Conflict, Assert.IsType<ProblemHttpResult>(result).StatusCode);
    }

    [Fact]
    public async Task Received_MoreUnitsThanRequested_422()
    {
        var returnId = AwaitedReturn(ReturnStatus.Authorized);
        var body = """{"location":"east","units":[{"sku":"MUG","condition":"Resellable"},{"sku":"MUG","condition":"Resellable"},{"sku":"MUG","condition":"Resellable"}]}""";

        var result = await Handler.ReceivedAsync(returnId, SignedFor(returnId, body), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, problem.StatusCode);
        Assert.Contains("MUG: 3 unit(s) reported, 2 requested.", problem.ProblemDetails.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Received_UnknownReturn_404()
    {
        var result = await Handler.ReceivedAsync($"return-{OrderId}-9", SignedFor($"return-{OrderId}-9", """{"location":"east","units":[]}"""), workflows.Object, default);

        Assert.Equal(StatusCodes.Status404NotFound, Assert.IsType<ProblemHttpResult>(result).StatusCode);
    }

    private ReturnsHandler Handler => new(
        orders.Object,
        returns.Object,
        Microsoft.Extensions.Options.Options.Create(new ReturnOptions { WindowDays = 30, NonReturnableSkus = " GIFT-CARD ,", RestockingFeePercent = 15, ReceiveDeadline = TimeSpan.FromDays(14) }),
        Microsoft.Extensions.Options.Options.Create(new WorkflowOptions()),
        Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key }),
        Microsoft.Extensions.Options.Options.Create(new IntakeOptions { FulfillmentCallbackSecret = Secret }),
        new CallbackAuthenticator(Microsoft.Extensions.Options.Options.Create(new IntakeOptions { FulfillmentCallbackSecret = Secret }), Microsoft.Extensions.Options.Options.Create(partners), new ManualClock(now)),
        new ManualClock(now),
        NullLogger<ReturnsHandler>.Instance);

    private string AwaitedReturn(ReturnStatus status)
    {
        var returnId = $"return-{OrderId}-1";
        returns.Setup(r => r.GetAsync(returnId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ReturnRecord(returnId, OrderId, [new ReturnLine("MUG", 2)], "chipped", false, status, "", Shipped, Shipped));
        workflows.Setup(w => w.GetStatusAsync(returnId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowStatus(returnId, "Running", "awaiting-receipt", null, Shipped));
        return returnId;
    }

    private static OrderRecord ShippedOrder()
    {
        Money Usd(long minor) => new(minor, "USD");
        var order = new Order(
            OrderId, "shop", "7001", "#7001", new Customer("a@example.test", "A", "B", "en"),
            new Address("A B", "1 Way", null, "London", null, "N1", "GB", null),
            [new LineItem("L1", "MUG", "Mug", 2, Usd(10_00)), new LineItem("L2", "GIFT-CARD", "Gift card", 1, Usd(25_00))],
            new OrderTotals(Usd(45_00), Usd(5_00), Usd(4_50), Usd(0), Usd(54_50)), "USD", "pi_7001", Shipped.AddDays(-2));
        return new OrderRecord(
            order, OrderStatus.Fulfilled,
            [new FulfillmentRecord($"{OrderId}-F1", "east", [new FulfillmentLine("MUG", 2), new FulfillmentLine("GIFT-CARD", 1)], "shipped", null, null, null, null)],
            [new TimelineEntry(Shipped, "fulfillment", $"{OrderId}-F1 is shipped.")]);
    }

    /// <summary>X-OrderFlow-Signature for <paramref name="body"/> posted to <paramref name="returnId"/>'s received route.</summary>
    private string Sign(string returnId, string body, string secret, DateTimeOffset? at = null) =>
        CallbackSignature.Sign(secret, at ?? now, "POST", $"/api/returns/{returnId}/received", Encoding.UTF8.GetBytes(body));

    /// <summary>Signed correctly, with the shared key, for <paramref name="returnId"/>.</summary>
    private HttpRequest SignedFor(string returnId, string body) => Signed(body, Sign(returnId, body, Secret));

    private static HttpRequest Signed(string body, string signature)
    {
        var request = Request(null, body);
        request.Headers[FulfillmentEventsHandler.SignatureHeader] = signature;
        return request;
    }

    private static HttpRequest Request(string? key, string? body = null)
    {
        var context = NewContext();
        if (key is not null)
        {
            context.Request.Headers[OperatorKey.Header] = key;
        }

        if (body is not null)
        {
            context.Request.Method = "POST";
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        }

        return context.Request;
    }

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<(int Status, string Body)> ExecuteAsync(IResult result)
    {
        var context = NewContext();
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }
}
