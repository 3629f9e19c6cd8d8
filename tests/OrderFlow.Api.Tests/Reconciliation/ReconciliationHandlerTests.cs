using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Api.Cases;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Options;
using OrderFlow.Api.Reconciliation;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Reconciliation;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Reconciliation;

/// <summary>The reconciliation routes against Azurite-stored reports: operator key, start and 409, JSON, CSV and the console page.</summary>
public sealed class ReconciliationHandlerTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private const string Key = "test-operator-key-0123456789abcdef0123";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private readonly Mock<IWorkflowClient> workflows = new();
    private readonly TableReconciliationReportStore reports = new(storage.Tables, NullLogger<TableReconciliationReportStore>.Instance);

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-0123456789abcdef0123456789")]
    public async Task Routes_WithoutOrWithWrongOperatorKey_401AndNothingStarted(string? key)
    {
        var reportId = await SaveReportAsync();

        var results = new[]
        {
            await Handler.StartAsync(Request(key, """{"from":"2026-11-25","to":"2026-11-25"}"""), workflows.Object, default),
            await Handler.GetAsync(reportId, Request(key), workflows.Object, default),
            await Handler.CsvAsync(reportId, Request(key), workflows.Object, default),
        };

        Assert.All(results, r =>
        {
            var problem = Assert.IsType<ProblemHttpResult>(r);
            Assert.Equal(StatusCodes.Status401Unauthorized, problem.StatusCode);
            Assert.Contains(OperatorKey.Header, problem.ProblemDetails.Detail, StringComparison.Ordinal);
        });
        Assert.Equal("/api/console/login", Assert.IsType<RedirectHttpResult>(await Handler.ConsolePageAsync(reportId, Request(key), workflows.Object, default)).Url);
        Assert.Equal("/api/console/login", Assert.IsType<RedirectHttpResult>(await Handler.ConsoleCsvAsync(reportId, Request(key), default)).Url);
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Start_NewRange_202WithTheRangesReportIdAndStartsTheOrchestrator()
    {
        object? input = null;
        workflows.Setup(w => w.StartAsync(nameof(ReconciliationOrchestrator), "reconcile-20261120-20261125", It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, object i, CancellationToken _) => input = i)
            .ReturnsAsync(true);

        var result = await Handler.StartAsync(Request(Key, """{"from":"2026-11-20","to":"2026-11-25"}"""), workflows.Object, default);

        var (status, body) = await ExecuteAsync(result);
        Assert.Equal(StatusCodes.Status202Accepted, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("reconcile-20261120-20261125", json.RootElement.GetProperty("reportId").GetString());
        Assert.Equal("/api/reconciliations/reconcile-20261120-20261125/csv", json.RootElement.GetProperty("csvUrl").GetString());
        var request = Assert.IsType<ReconciliationRequest>(input);
        Assert.Equal((new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 25)), (request.From, request.To));
        Assert.Equal(TimeSpan.FromDays(3), request.Settings.CaseDeadline);
    }

    [Fact]
    public async Task Start_RangeStillRunning_409AndNothingStarted()
    {
        Status("reconcile-20261125-20261125", "Running");

        var result = await Handler.StartAsync(Request(Key, """{"from":"2026-11-25","to":"2026-11-25"}"""), workflows.Object, default);

        Assert.Equal(StatusCodes.Status409Conflict, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Start_RangeAlreadyReconciled_StartsARerunUnderTheNextId()
    {
        Status("reconcile-20261125-20261125", "Completed");
        Status("reconcile-20261125-20261125-2", "Completed");
        workflows.Setup(w => w.StartAsync(nameof(ReconciliationOrchestrator), "reconcile-20261125-20261125-3", It.IsAny<object>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var (status, body) = await ExecuteAsync(await Handler.StartAsync(Request(Key, """{"from":"2026-11-25","to":"2026-11-25"}"""), workflows.Object, default));

        Assert.Equal(StatusCodes.Status202Accepted, status);
        Assert.Contains("\"reportId\":\"reconcile-20261125-20261125-3\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", StatusCodes.Status400BadRequest)]
    [InlineData("""{"from":"2026-11-25"}""", StatusCodes.Status400BadRequest)]
    [InlineData("""{"from":"2026-11-25","to":"2026-11-24"}""", StatusCodes.Status422UnprocessableEntity)]
    [InlineData("""{"from":"2026-11-26","to":"2026-11-27"}""", StatusCodes.Status422UnprocessableEntity)]
    [InlineData("""{"from":"2026-01-01","to":"2026-11-25"}""", StatusCodes.Status422UnprocessableEntity)]
    public async Task Start_BadRange_RefusedAndNothingStarted(string body, int expected)
    {
        var result = await Handler.StartAsync(Request(Key, body), workflows.Object, default);

        Assert.Equal(expected, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Get_StoredReport_JsonWithCountsTotalsAndMismatchesByName()
    {
        var reportId = await SaveReportAsync();

        var (status, body) = await ExecuteAsync(await Handler.GetAsync(reportId, Request(Key), workflows.Object, default));

        Assert.Equal(StatusCodes.Status200OK, status);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal((4, 2, 2), (root.GetProperty("ordersChecked").GetInt32(), root.GetProperty("matched").GetInt32(), root.GetProperty("mismatched").GetInt32()));
        var first = root.GetProperty("mismatches")[0];
        Assert.Equal("AmountDiffers", first.GetProperty("kind").GetString());
        Assert.Equal(6000, first.GetProperty("expected").GetProperty("minorUnits").GetInt64());
        Assert.Equal(5500, first.GetProperty("actual").GetProperty("minorUnits").GetInt64());
        Assert.Equal(3, root.GetProperty("totals").GetArrayLength());
    }

    [Fact]
    public async Task Csv_StoredReport_TextCsvWithATotalsRowPerKindAndAMismatchRowWithBothFigures()
    {
        var reportId = await SaveReportAsync();

        var result = await Handler.CsvAsync(reportId, Request(Key), workflows.Object, default);

        var context = NewContext();
        await result.ExecuteAsync(context);
        Assert.Equal("text/csv; charset=utf-8", context.Response.ContentType);
        Assert.Equal($"attachment; filename=\"{reportId}.csv\"", context.Response.Headers.ContentDisposition.ToString());
        var lines = Body(context).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            ReconciliationCsv.Header,
            "total,Matched,,,USD,2,87.00,87.00,0.00,,",
            "total,AmountDiffers,,,USD,1,60.00,55.00,-5.00,,",
            "total,ShippedNotCharged,,,USD,1,60.00,0.00,-60.00,,",
            "mismatch,AmountDiffers,shop-b,accounting-sale,USD,1,60.00,55.00,-5.00,shop-b-reconcile-AmountDiffers-accounting-sale,\"Sale booked for less, \"\"by hand\"\"\"",
            "mismatch,ShippedNotCharged,shop-c,payment,USD,1,60.00,0.00,-60.00,shop-c-reconcile-ShippedNotCharged-payment,\"'=HYPERLINK(\"\"x\"\")\"",
            "skipped,Skipped,shop-d,,,,,,,,still InFulfillment",
        ],
        lines);
    }

    [Fact]
    public async Task Get_UnknownOrStillRunning_404Or202()
    {
        Status("reconcile-20261124-20261124", "Running");

        var unknown = await Handler.GetAsync("reconcile-19990101-19990101", Request(Key), workflows.Object, default);
        var (status, body) = await ExecuteAsync(await Handler.CsvAsync("reconcile-20261124-20261124", Request(Key), workflows.Object, default));

        Assert.Equal(StatusCodes.Status404NotFound, Assert.IsType<ProblemHttpResult>(unknown).StatusCode);
        Assert.Equal(StatusCodes.Status202Accepted, status);
        Assert.Contains("\"status\":\"Running\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsolePage_WithOperatorKey_ListsCountsTotalsAndMismatchesEncoded()
    {
        var reportId = await SaveReportAsync();

        var page = Assert.IsType<HtmlPage>(await Handler.ConsolePageAsync(reportId, Request(Key), workflows.Object, default));

        Assert.Equal(StatusCodes.Status200OK, page.StatusCode);
        Assert.Contains($"Reconciliation {reportId}", page.Html, StringComparison.Ordinal);
        Assert.Contains("<tr data-kind=\"AmountDiffers\">", page.Html, StringComparison.Ordinal);
        Assert.Contains("<td>60.00 USD</td><td>55.00 USD</td>", page.Html, StringComparison.Ordinal);
        Assert.Contains("=HYPERLINK(&quot;x&quot;)", page.Html, StringComparison.Ordinal);
        Assert.Contains($"/api/console/reconciliations/{reportId}/csv", page.Html, StringComparison.Ordinal);
        Assert.Contains("/api/console/orders/shop-b", page.Html, StringComparison.Ordinal);
        Assert.Equal("text/csv; charset=utf-8", Assert.IsType<ReconciliationHandler.CsvResult>(await Handler.ConsoleCsvAsync(reportId, Request(Key), default)).ContentType);
    }

    [Fact]
    public async Task DailyReconciliation_StartsThePreviousDayOnceUnderItsFixedId()
    {
        var clock = new ManualClock(Now);
        var daily = new DailyReconciliation(Microsoft.Extensions.Options.Options.Create(new ReconciliationOptions()), Microsoft.Extensions.Options.Options.Create(new WorkflowOptions()), clock, NullLogger<DailyReconciliation>.Instance);
        workflows.SetupSequence(w => w.StartAsync(nameof(ReconciliationOrchestrator), "reconcile-20261125-20261125", It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(true)
            .ReturnsAsync(false);

        Assert.True(await daily.StartPreviousDayAsync(workflows.Object, default));
        Assert.False(await daily.StartPreviousDayAsync(workflows.Object, default));

        var off = new DailyReconciliation(Microsoft.Extensions.Options.Options.Create(new ReconciliationOptions { Enabled = false }), Microsoft.Extensions.Options.Options.Create(new WorkflowOptions()), clock, NullLogger<DailyReconciliation>.Instance);
        Assert.False(await off.StartPreviousDayAsync(workflows.Object, default));
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public void ReconciliationOptions_DailyAtOutsideADay_FailsValidationNamingTheKey()
    {
        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var options = new ReconciliationOptions { DailyAt = TimeSpan.FromHours(25) };

        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), errors, true));
        Assert.Contains("Reconciliation:DailyAt", Assert.Single(errors).ErrorMessage, StringComparison.Ordinal);
    }

    private ReconciliationHandler Handler
    {
        get
        {
            var cases = new TableExceptionQueue(storage.Tables, Mock.Of<IApproverAlert>(), TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);
            var operations = Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key });
            var console = new ConsoleHandler(
                cases, new CaseDecisionService(cases, TimeProvider.System, NullLogger<CaseDecisionService>.Instance), Mock.Of<IOrderStore>(),
                new InventoryHandler(Mock.Of<ICatalog>(), operations, TimeProvider.System, NullLogger<InventoryHandler>.Instance),
                operations, TimeProvider.System, NullLogger<ConsoleHandler>.Instance);
            return new ReconciliationHandler(reports, console, operations, Microsoft.Extensions.Options.Options.Create(new WorkflowOptions()), new ManualClock(Now), NullLogger<ReconciliationHandler>.Instance);
        }
    }

    private void Status(string instanceId, string runtimeStatus) =>
        workflows.Setup(w => w.GetStatusAsync(instanceId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowStatus(instanceId, runtimeStatus, null, null, Now));

    private async Task<string> SaveReportAsync()
    {
        var reportId = $"reconcile-20261125-20261125-{Guid.NewGuid():N}";
        Money Usd(long minor) => new(minor, "USD");
        var results = new List<OrderReconciliation>
        {
            new("shop-a", new ReconciliationResult("shop-a", Usd(6000), Usd(6000), Usd(6000), []), null),
            new("shop-b", new ReconciliationResult("shop-b", Usd(6000), Usd(6000), Usd(5500),
                [new ReconciliationMismatch(MismatchKind.AmountDiffers, ReconciliationSubject.AccountingSale, Usd(6000), Usd(5500), "Sale booked for less, \"by hand\"")]), null),
            new("shop-c", new ReconciliationResult("shop-c", Usd(6000), Usd(0), Usd(6000),
                [new ReconciliationMismatch(MismatchKind.ShippedNotCharged, ReconciliationSubject.Payment, Usd(6000), Usd(0), "=HYPERLINK(\"x\")")]), null),
            new("shop-e", new ReconciliationResult("shop-e", Usd(2700), Usd(2700), Usd(2700), []), null),
            OrderReconciliation.Skipped("shop-d", "still InFulfillment"),
        };
        await reports.SaveAsync(ReconciliationReport.Build(reportId, new DateOnly(2026, 11, 25), new DateOnly(2026, 11, 25), Now, results, false));
        return reportId;
    }

    private static HttpRequest Request(string? key, string? body = null)
    {
        var context = NewContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("ops.orderflow.test");
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

    private static string Body(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return new StreamReader(context.Response.Body).ReadToEnd();
    }

    private static async Task<(int Status, string Body)> ExecuteAsync(IResult result)
    {
        var context = NewContext();
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, Body(context));
    }
}
