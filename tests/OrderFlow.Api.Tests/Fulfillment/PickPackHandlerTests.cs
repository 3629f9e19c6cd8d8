using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Api.Tests.Infrastructure;
using OrderFlow.Api.Cases;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;
using static OrderFlow.Api.Tests.Infrastructure.ConsoleRequests;

namespace OrderFlow.Api.Tests.Fulfillment;

/// <summary>
/// The pick-and-pack page on Azurite: pick lists handed off through the real queue hand-off, answers applied by the
/// real <see cref="FulfillmentEventProcessor"/> to real order records; the workflow client is a mock that records raised events.
/// </summary>
public sealed class PickPackHandlerTests : IClassFixture<StorageFixture>
{
    private const string Key = "test-operator-key-0123456789abcdef0123";
    private const string Host = "console.orderflow.test";
    private const string Label = "9405500000000000000042";

    private readonly StorageFixture storage;
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly TableOrderStore orders;
    private readonly PickListStore picks;
    private readonly QueueFulfillmentProvider queue;
    private readonly Mock<IWorkflowClient> workflows = new();
    private readonly List<(string EventName, FulfillmentConfirmation Payload)> raised = [];
    private readonly string location = $"WH-{Guid.NewGuid():N}"[..12];
    private readonly PickPackHandler handler;

    public PickPackHandlerTests(StorageFixture storage)
    {
        this.storage = storage;
        orders = new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance);
        picks = new PickListStore(storage.Tables);
        queue = new QueueFulfillmentProvider(storage.QueueService, storage.Tables, picks, storage.Options, clock, NullLogger<QueueFulfillmentProvider>.Instance);
        workflows.Setup(w => w.GetStatusAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new WorkflowStatus(id, "Running", null, null, clock.Now));
        workflows.Setup(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, object, CancellationToken>((_, name, payload, _) => raised.Add((name, (FulfillmentConfirmation)payload)))
            .Returns(Task.CompletedTask);
        handler = Handler(new RoutingOptions());
    }

    [Fact]
    public async Task List_HandedOffPicks_OldestFirstWithLinesAndLabelTrackingOtherLocationsLeftOut()
    {
        var first = await HandOffAsync();
        clock.Advance(TimeSpan.FromMinutes(5));
        var second = await HandOffAsync(tracking: null);
        var elsewhere = await HandOffAsync(at: "WH-ELSEWHERE");

        var page = await ListAsync();

        var html = page.Html;
        Assert.Contains("2 open pick list(s), oldest first.", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf($"data-pick=\"{first}\"", StringComparison.Ordinal) < html.IndexOf($"data-pick=\"{second}\"", StringComparison.Ordinal), "oldest first");
        Assert.DoesNotContain(elsewhere, html, StringComparison.Ordinal);
        Assert.Contains("<td>SKU-MUG</td><td>2</td>", html, StringComparison.Ordinal);
        Assert.Contains($"name=\"tracking\" maxlength=\"100\" value=\"{Label}\"", html, StringComparison.Ordinal);
        Assert.Contains("<td>Label tracking</td><td>none</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_MoreThanTheCap_ShowsTheOldestAndSaysMoreAreWaiting()
    {
        for (var i = 0; i <= PickPackHandler.MaxListed; i++)
        {
            await picks.RecordHandoffAsync(
                new PickListMessage($"order-{i}", $"order-{i}-F1", location, [new FulfillmentLine("SKU-MUG", 1)], Label, $"order-{i}:dispatch-F1"),
                clock.Now.AddSeconds(i));
        }

        var html = (await ListAsync()).Html;

        Assert.Contains($"The {PickPackHandler.MaxListed} oldest open pick lists; more are waiting", html, StringComparison.Ordinal);
        Assert.Equal(PickPackHandler.MaxListed, CountOf(html, "class=\"pick\""));
        Assert.Contains("data-pick=\"order-0-F1\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-pick=\"order-{PickPackHandler.MaxListed}-F1\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shipped_WithTheLabelTracking_RaisesShippedAndThePickLeavesTheList()
    {
        var fulfillmentId = await HandOffAsync();

        var page = await AnswerAsync(fulfillmentId, PickPackHandler.Shipped, ("tracking", Label));

        Assert.Equal(StatusCodes.Status200OK, page.StatusCode);
        Assert.Contains("Recorded", page.Html, StringComparison.Ordinal);
        var (name, payload) = Assert.Single(raised);
        Assert.Equal((FulfillmentConfirmation.EventName(fulfillmentId), FulfillmentConfirmation.Shipped, fulfillmentId), (name, payload.Status, payload.FulfillmentId));
        Assert.Equal(PickListEntry.Shipped, (await picks.GetAsync(location, fulfillmentId))!.Status);
        Assert.DoesNotContain(fulfillmentId, (await ListAsync()).Html, StringComparison.Ordinal);

        var again = await AnswerAsync(fulfillmentId, PickPackHandler.Shipped, ("tracking", Label));
        Assert.Equal(StatusCodes.Status409Conflict, again.StatusCode);
        Assert.Single(raised);
    }

    [Fact]
    public async Task Shipped_WithAnotherTrackingNumber_422NamingTheLabelsAndNothingRaised()
    {
        var fulfillmentId = await HandOffAsync();

        var page = await AnswerAsync(fulfillmentId, PickPackHandler.Shipped, ("tracking", "1Z999AA10123456784"));

        Assert.Equal(StatusCodes.Status422UnprocessableEntity, page.StatusCode);
        Assert.Contains(Label, page.Html, StringComparison.Ordinal);
        Assert.Empty(raised);
        Assert.Equal(PickListEntry.Open, (await picks.GetAsync(location, fulfillmentId))!.Status);
    }

    [Fact]
    public async Task Picked_Twice_NotedOnceTheSecondIsADuplicateAndThePickStaysListed()
    {
        var fulfillmentId = await HandOffAsync();

        var first = await AnswerAsync(fulfillmentId, PickPackHandler.Picked);
        var second = await AnswerAsync(fulfillmentId, PickPackHandler.Picked);

        Assert.Contains("Recorded", first.Html, StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status200OK, second.StatusCode);
        Assert.Contains("Already recorded", second.Html, StringComparison.Ordinal);
        Assert.Empty(raised);
        var record = (await orders.GetAsync(OrderOf(fulfillmentId)))!;
        Assert.Equal(FulfillmentConfirmation.Picked, Assert.Single(record.Fulfillments).Status);
        Assert.Single(record.Timeline, t => t.Kind == "fulfillment" && t.Message.Contains("picked", StringComparison.Ordinal));
        var html = (await ListAsync()).Html;
        Assert.Contains($"data-pick=\"{fulfillmentId}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-answer=\"picked\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Short_WithChosenQuantities_RaisesShortCarryingThoseLines()
    {
        var fulfillmentId = await HandOffAsync();

        var page = await AnswerAsync(fulfillmentId, PickPackHandler.Short, ("short0", "1"), ("short1", "0"));

        Assert.Equal(StatusCodes.Status200OK, page.StatusCode);
        var payload = Assert.Single(raised).Payload;
        Assert.Equal(FulfillmentConfirmation.Short, payload.Status);
        Assert.Equal([new FulfillmentLine("SKU-MUG", 1)], payload.ShortLines!);
        Assert.Equal(PickListEntry.Short, (await picks.GetAsync(location, fulfillmentId))!.Status);
    }

    [Theory]
    [InlineData("0", "0", StatusCodes.Status422UnprocessableEntity, "at least one line")]
    [InlineData("3", "0", StatusCodes.Status400BadRequest, "from 0 to 2")]
    [InlineData("-1", "0", StatusCodes.Status400BadRequest, "whole number")]
    public async Task Short_NoLineOrBeyondTheLine_RefusedAndNothingRaised(string mugs, string tees, int status, string expected)
    {
        var fulfillmentId = await HandOffAsync();

        var page = await AnswerAsync(fulfillmentId, PickPackHandler.Short, ("short0", mugs), ("short1", tees));

        Assert.Equal(status, page.StatusCode);
        Assert.Contains(expected, page.Html, StringComparison.Ordinal);
        Assert.Empty(raised);
    }

    [Fact]
    public async Task Reject_WithoutReason400_WithReasonRaisesRejectedCarryingIt()
    {
        var fulfillmentId = await HandOffAsync();

        var bare = await AnswerAsync(fulfillmentId, PickPackHandler.Reject, ("reason", "  "));
        Assert.Equal(StatusCodes.Status400BadRequest, bare.StatusCode);
        Assert.Empty(raised);

        var page = await AnswerAsync(fulfillmentId, PickPackHandler.Reject, ("reason", "Pallet water damaged"));

        Assert.Equal(StatusCodes.Status200OK, page.StatusCode);
        var payload = Assert.Single(raised).Payload;
        Assert.Equal((FulfillmentConfirmation.Rejected, "Pallet water damaged"), (payload.Status, payload.Reason));
        Assert.Equal(PickListEntry.Rejected, (await picks.GetAsync(location, fulfillmentId))!.Status);
    }

    [Fact]
    public async Task Stopped_OnlyAfterTheCancelMessage_ThenRaisesCancelledAndThePickIsStopped()
    {
        var fulfillmentId = await HandOffAsync();

        var early = await AnswerAsync(fulfillmentId, PickPackHandler.Stopped);
        Assert.Equal(StatusCodes.Status409Conflict, early.StatusCode);
        Assert.Empty(raised);

        await queue.CancelAsync(new FulfillmentCancellation(
            OrderOf(fulfillmentId), fulfillmentId, location, [new FulfillmentLine("SKU-MUG", 2)], Label, "order-cancelled", $"{OrderOf(fulfillmentId)}:cancel-{fulfillmentId}"));
        Assert.Contains("data-answer=\"stopped\"", (await ListAsync()).Html, StringComparison.Ordinal);

        var page = await AnswerAsync(fulfillmentId, PickPackHandler.Stopped);

        Assert.Equal(StatusCodes.Status200OK, page.StatusCode);
        Assert.Equal(FulfillmentConfirmation.Cancelled, Assert.Single(raised).Payload.Status);
        Assert.Equal(PickListEntry.Stopped, (await picks.GetAsync(location, fulfillmentId))!.Status);
    }

    [Fact]
    public async Task Answer_FulfillmentOfAnotherLocation_404AndNothingRaised()
    {
        var fulfillmentId = await HandOffAsync(at: "WH-ELSEWHERE");

        var page = await AnswerAsync(fulfillmentId, PickPackHandler.Shipped, ("tracking", Label));

        Assert.Equal(StatusCodes.Status404NotFound, page.StatusCode);
        Assert.Empty(raised);
    }

    [Fact]
    public async Task Answer_EndedWorkflow_409FromTheSameRulesAsTheCallback()
    {
        var fulfillmentId = await HandOffAsync();
        workflows.Setup(w => w.GetStatusAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new WorkflowStatus(id, "Completed", null, null, clock.Now));

        var page = await AnswerAsync(fulfillmentId, PickPackHandler.Shipped, ("tracking", Label));

        Assert.Equal(StatusCodes.Status409Conflict, page.StatusCode);
        Assert.Contains("already ended", page.Html, StringComparison.Ordinal);
        Assert.Empty(raised);
    }

    [Fact]
    public async Task Answer_NotSignedInOrCrossSiteOrUnknownAnswer_RefusedAndNothingRaised()
    {
        var fulfillmentId = await HandOffAsync();
        var cookie = await LoginAsync();

        var anonymous = await handler.AnswerAsync(location, fulfillmentId, FormRequest(null, null, $"https://{Host}", ("answer", "shipped"), ("tracking", Label)), workflows.Object, default);
        var crossSite = await handler.AnswerAsync(location, fulfillmentId, FormRequest(null, cookie, "https://evil.example", ("answer", "shipped"), ("tracking", Label)), workflows.Object, default);
        var unknown = await handler.AnswerAsync(location, fulfillmentId, FormRequest(null, cookie, $"https://{Host}", ("answer", "lost")), workflows.Object, default);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<HtmlPage>(anonymous).StatusCode);
        Assert.Equal(StatusCodes.Status403Forbidden, Assert.IsType<HtmlPage>(crossSite).StatusCode);
        Assert.Equal(StatusCodes.Status400BadRequest, Assert.IsType<HtmlPage>(unknown).StatusCode);
        Assert.Empty(raised);
        Assert.Equal("/api/console/login", Assert.IsType<RedirectHttpResult>(await handler.ListAsync(location, Request(null), default)).Url);
    }

    [Fact]
    public async Task List_LocationListedWithAnotherMethod_404()
    {
        var routing = new RoutingOptions { Locations = [new RoutingLocationOptions { Id = location, Method = nameof(FulfillmentMethod.ThirdPartyApi) }] };

        var result = await Handler(routing).ListAsync(location, Request(Key), default);

        Assert.Equal(StatusCodes.Status404NotFound, Assert.IsType<HtmlPage>(result).StatusCode);
    }

    [Fact]
    public async Task ConsoleHome_LinksEveryListedOwnWarehouseOnly()
    {
        var routing = new RoutingOptions
        {
            Locations =
            [
                new RoutingLocationOptions { Id = "WH-EAST", Method = nameof(FulfillmentMethod.OwnWarehouse) },
                new RoutingLocationOptions { Id = "3PL-WEST", Method = nameof(FulfillmentMethod.ThirdPartyApi) },
            ],
        };

        var home = Assert.IsType<HtmlPage>(await Console(routing).HomeAsync(Request(Key), default));

        Assert.Contains("<a href=\"/api/console/locations/WH-EAST/picks\">WH-EAST</a>", home.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("3PL-WEST", home.Html, StringComparison.Ordinal);
    }

    private static int CountOf(string html, string what)
    {
        var count = 0;
        for (var i = html.IndexOf(what, StringComparison.Ordinal); i >= 0; i = html.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string OrderOf(string fulfillmentId) => fulfillmentId[..fulfillmentId.LastIndexOf("-F", StringComparison.Ordinal)];

    /// <summary>An order with one fulfillment awaiting confirmation at <paramref name="at"/>, handed off through the queue; returns its id.</summary>
    private async Task<string> HandOffAsync(string? at = null, string? tracking = Label)
    {
        at ??= location;
        var order = TestOrders.Create();
        await orders.CreateAsync(order, clock.Now);
        var fulfillmentId = OrderIds.Fulfillment(order.OrderId, 1);
        FulfillmentLine[] lines = [new FulfillmentLine("SKU-MUG", 2), new FulfillmentLine("SKU-TEE", 1)];
        await orders.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(fulfillmentId, at, lines, "awaiting-confirmation", "USPS", tracking, null, null));
        await queue.DispatchAsync(new FulfillmentDispatch(order.OrderId, fulfillmentId, at, lines, tracking ?? string.Empty, $"{order.OrderId}:dispatch-{fulfillmentId}"));
        return fulfillmentId;
    }

    private async Task<HtmlPage> ListAsync() => Assert.IsType<HtmlPage>(await handler.ListAsync(location, Request(Key), default));

    /// <summary>Posts one pick list's form with the operator key header.</summary>
    private async Task<HtmlPage> AnswerAsync(string fulfillmentId, string answer, params (string Name, string Value)[] fields) =>
        Assert.IsType<HtmlPage>(await handler.AnswerAsync(location, fulfillmentId, FormRequest(Key, null, null, [("answer", answer), .. fields]), workflows.Object, default));

    private PickPackHandler Handler(RoutingOptions routing) => new(
        Console(routing),
        picks,
        new FulfillmentEventProcessor(
            orders,
            new TableDeliveryStore(storage.Tables, NullLogger<TableDeliveryStore>.Instance),
            new TableDeliveryStore(storage.Tables, NullLogger<TableDeliveryStore>.Instance),
            picks,
            clock,
            NullLogger<FulfillmentEventProcessor>.Instance),
        Microsoft.Extensions.Options.Options.Create(routing),
        clock,
        NullLogger<PickPackHandler>.Instance);

    private ConsoleHandler Console(RoutingOptions routing)
    {
        var cases = new TableExceptionQueue(storage.Tables, Mock.Of<IApproverAlert>(), clock, NullLogger<TableExceptionQueue>.Instance);
        var operations = Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key });
        return new ConsoleHandler(
            cases,
            new CaseDecisionService(cases, clock, NullLogger<CaseDecisionService>.Instance),
            orders,
            new InventoryHandler(Mock.Of<ICatalog>(), operations, clock, NullLogger<InventoryHandler>.Instance),
            operations,
            clock,
            NullLogger<ConsoleHandler>.Instance,
            Microsoft.Extensions.Options.Options.Create(routing));
    }

    /// <summary>Signs in through the console's form and returns the session cookie's value.</summary>
    private async Task<string> LoginAsync()
    {
        var redirect = Assert.IsType<ConsoleHandler.CookieRedirect>(await Console(new RoutingOptions()).PostLoginAsync(FormRequest(null, null, $"https://{Host}", ("key", Key)), default));
        var context = new DefaultHttpContext();
        await redirect.ExecuteAsync(context);
        return context.Response.Headers.SetCookie.ToString().Split(';')[0][(ConsoleHandler.CookieName.Length + 1)..];
    }
}
