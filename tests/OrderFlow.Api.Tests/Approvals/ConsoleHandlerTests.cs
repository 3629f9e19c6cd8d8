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
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using static OrderFlow.Api.Tests.Infrastructure.ConsoleRequests;

namespace OrderFlow.Api.Tests.Approvals;

/// <summary>The operations console against Azurite: sign-in, the session cookie, the same-origin check and resolving a case.</summary>
public sealed class ConsoleHandlerTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private const string Key = "test-operator-key-0123456789abcdef0123";
    private const string Host = "console.orderflow.test";
    private readonly Mock<IWorkflowClient> workflows = Running();

    private static Mock<IWorkflowClient> Running()
    {
        var mock = new Mock<IWorkflowClient>();
        mock.Setup(w => w.GetStatusAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new WorkflowStatus(id, "Running", null, null, DateTimeOffset.UtcNow));
        return mock;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-0123456789abcdef0123456789")]
    public async Task Pages_WithoutOrWithWrongKey_RedirectToLogin(string? key)
    {
        var home = await Handler.HomeAsync(Request(key), default);
        var order = await Handler.OrderAsync("order-1", Request(key), workflows.Object, default);
        var stock = await Handler.InventoryAsync("MUG", Request(key), workflows.Object, default);

        Assert.All([home, order, stock], r => Assert.Equal("/api/console/login", Assert.IsType<RedirectHttpResult>(r).Url));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("wrong-key-0123456789abcdef0123456789", null)]
    [InlineData(null, "9999999999.forged")]
    public async Task Resolve_WithoutValidKeyOrCookie_401AndCaseStaysOpen(string? key, string? cookie)
    {
        var c = await OpenAsync(ExceptionReason.FraudReview, "Needs a person.");

        var result = await Handler.ResolveAsync(c.CaseId, FormRequest(key, cookie, $"https://{Host}", ("resolution", "Approve")), workflows.Object, default);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Equal(CaseStatuses.Open, (await Cases.GetAsync(c.CaseId))!.Status);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Login_WrongKey_401WithoutCookie()
    {
        var result = await Handler.PostLoginAsync(FormRequest(null, null, $"https://{Host}", ("key", "not-the-key")), default);

        var page = Assert.IsType<HtmlPage>(result);
        Assert.Equal(StatusCodes.Status401Unauthorized, page.StatusCode);
        Assert.Contains("Wrong operator key", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_RightKey_SetsHttpOnlyStrictCookieWithoutTheKey_ThatOpensTheConsole()
    {
        var c = await OpenAsync(ExceptionReason.FraudReview, "<script>alert(1)</script> score 80");

        var cookie = await LoginAsync();
        var home = Assert.IsType<HtmlPage>(await Handler.HomeAsync(Request(null, cookie), default));

        Assert.Equal(StatusCodes.Status200OK, home.StatusCode);
        Assert.Contains(c.CaseId, home.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", home.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", home.Html, StringComparison.Ordinal);
        Assert.Contains($"action=\"/api/console/cases/{c.CaseId}/resolve\"", home.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_CaseWhoseAlertFailed_ShowsTheAlertFailure()
    {
        var failed = await OpenAsync(ExceptionReason.NotificationFailed, "The OrderConfirmed email could not be delivered.");
        await Cases.RecordAlertFailureAsync(failed.CaseId, "Approver alert failed: IOException: <smtp> refused");
        var cookie = await LoginAsync();

        var home = Assert.IsType<HtmlPage>(await Handler.HomeAsync(Request(null, cookie), default));

        var block = home.Html[home.Html.IndexOf($"data-case=\"{failed.CaseId}\"", StringComparison.Ordinal)..];
        block = block[..block.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.Contains("<td>Alert failed</td><td>Approver alert failed: IOException: &lt;smtp&gt; refused</td>", block, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntakeRejectedCase_ShownWithItsDeliveryNoOrderLink_ApproveAcknowledgesWithoutAWorkflow()
    {
        var subject = $"woocommerce-delivery-{Guid.NewGuid():N}";
        var caseId = $"intake-{subject}";
        await Cases.OpenAsync(new OpenCaseRequest(
            caseId, subject, ExceptionReason.IntakeRejected, "intake-mapping", "shipping is required.", CasePolicy.AllowedResolutions(ExceptionReason.IntakeRejected),
            DateTimeOffset.UtcNow.AddDays(30), OpenCaseRequest.NoWorkflow));
        var cookie = await LoginAsync();

        var home = Assert.IsType<HtmlPage>(await Handler.HomeAsync(Request(null, cookie), default));
        var block = home.Html[home.Html.IndexOf($"data-case=\"{caseId}\"", StringComparison.Ordinal)..];
        block = block[..block.IndexOf("</div>", StringComparison.Ordinal)];
        Assert.Contains($"<td>Delivery</td><td>{subject}</td>", block, StringComparison.Ordinal);
        Assert.DoesNotContain("/orders/", block, StringComparison.Ordinal);
        Assert.Contains("nothing is applied", block, StringComparison.Ordinal);

        var result = Assert.IsType<HtmlPage>(await Handler.ResolveAsync(
            caseId, FormRequest(null, cookie, $"https://{Host}", ("resolution", "Approve")), workflows.Object, default));

        Assert.Equal(StatusCodes.Status200OK, result.StatusCode);
        Assert.Contains("acknowledged", result.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("/orders/", result.Html, StringComparison.Ordinal);
        Assert.Equal((CaseStatuses.Resolved, CaseResolution.Approve), ((await Cases.GetAsync(caseId))!.Status, (await Cases.GetAsync(caseId))!.Resolution));
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Resolve_WithCookieFromSameOrigin_ResolvesCaseAndRaisesDecision()
    {
        var c = await OpenAsync(ExceptionReason.UnhandledStepFailure, "Carrier returned 503.");
        var cookie = await LoginAsync();

        var home = Assert.IsType<HtmlPage>(await Handler.HomeAsync(Request(null, cookie), default));
        Assert.Contains("Retry step", home.Html, StringComparison.Ordinal);

        var result = Assert.IsType<HtmlPage>(await Handler.ResolveAsync(
            c.CaseId, FormRequest(null, cookie, $"https://{Host}", ("resolution", "RetryStep"), ("comment", "carrier is back")), workflows.Object, default));

        Assert.Equal(StatusCodes.Status200OK, result.StatusCode);
        Assert.Contains("Decision recorded", result.Html, StringComparison.Ordinal);
        var stored = (await Cases.GetAsync(c.CaseId))!;
        Assert.Equal((CaseStatuses.Resolved, CaseResolution.RetryStep, "operator:console", "carrier is back"), (stored.Status, stored.Resolution, stored.DecidedBy, stored.Comment));
        workflows.Verify(
            w => w.RaiseEventAsync(c.OrderId, CaseDecision.EventName(c.CaseId), new CaseDecision(c.CaseId, CaseResolution.RetryStep, "operator:console", "carrier is back"), It.IsAny<CancellationToken>()),
            Times.Once);
    }

    [Fact]
    public async Task Resolve_WorkflowFailedCase_RestartButtonRestartsTheEndedWorkflowWithTheCase()
    {
        var c = await OpenAsync(ExceptionReason.WorkflowFailed, "Workflow Failed during step 'complete': ledger down.");
        var failed = new Mock<IWorkflowClient>();
        failed.Setup(w => w.GetStatusAsync(c.OrderId, It.IsAny<CancellationToken>())).ReturnsAsync(new WorkflowStatus(c.OrderId, "Failed", null, null, DateTimeOffset.UtcNow));
        var input = new OrderWorkflowInput(c.OrderId, "shop", "dlv-1", new OrderWorkflowSettings(TimeSpan.FromDays(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1)), OrderWorkflowVersions.BackorderWaitHearsCancellation);
        failed.Setup(w => w.GetInputAsync<OrderWorkflowInput>(c.OrderId, It.IsAny<CancellationToken>())).ReturnsAsync(input);
        failed.Setup(w => w.RestartAsync(It.IsAny<string>(), c.OrderId, It.IsAny<object>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var orders = new Mock<IOrderStore>();
        orders.Setup(o => o.GetAsync(c.OrderId, It.IsAny<CancellationToken>())).ReturnsAsync(new OrderRecord(null!, OrderStatus.InFulfillment, [], []));
        var handler = HandlerWith(new OrderFlow.Workflows.Watchdog.WorkflowRestarter(orders.Object, TimeProvider.System, NullLogger<OrderFlow.Workflows.Watchdog.WorkflowRestarter>.Instance));
        var cookie = await LoginAsync();

        var home = Assert.IsType<HtmlPage>(await handler.HomeAsync(Request(null, cookie), default));
        var block = home.Html[home.Html.IndexOf($"data-case=\"{c.CaseId}\"", StringComparison.Ordinal)..];
        Assert.Contains(">Restart from failed step</button>", block, StringComparison.Ordinal);
        Assert.Contains(">Cancel order</button>", block, StringComparison.Ordinal);
        Assert.Contains(">Acknowledge</button>", block, StringComparison.Ordinal);

        var result = Assert.IsType<HtmlPage>(await handler.ResolveAsync(
            c.CaseId, FormRequest(null, cookie, $"https://{Host}", ("resolution", "RetryStep")), failed.Object, default));

        Assert.Equal(StatusCodes.Status200OK, result.StatusCode);
        Assert.Contains("restarted from its recorded progress", result.Html, StringComparison.Ordinal);
        Assert.Equal(CaseStatuses.Resolved, (await Cases.GetAsync(c.CaseId))!.Status);
        failed.Verify(
            w => w.RestartAsync("OrderOrchestrator", c.OrderId, It.Is<OrderWorkflowInput>(i =>
                i.Version == OrderWorkflowVersions.Current && i.Restart == new WorkflowRestart(1, c.CaseId, false)), It.IsAny<CancellationToken>()),
            Times.Once);
        failed.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Resolve_CorrectAddress_FormShownAndAddressRequiredThenRaisedWithDecision()
    {
        var c = await OpenAsync(ExceptionReason.AddressInvalid, "[ShippingAddress.PostalCode/required] The postal code is missing.");
        var cookie = await LoginAsync();

        var home = Assert.IsType<HtmlPage>(await Handler.HomeAsync(Request(null, cookie), default));
        Assert.Contains("data-resolution=\"CorrectAddress\"", home.Html, StringComparison.Ordinal);
        Assert.Contains("name=\"postalCode\"", home.Html, StringComparison.Ordinal);

        var missing = Assert.IsType<HtmlPage>(await Handler.ResolveAsync(
            c.CaseId, FormRequest(null, cookie, $"https://{Host}", ("resolution", "CorrectAddress"), ("name", "Ada")), workflows.Object, default));
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, missing.StatusCode);
        Assert.Equal(CaseStatuses.Open, (await Cases.GetAsync(c.CaseId))!.Status);

        var result = Assert.IsType<HtmlPage>(await Handler.ResolveAsync(
            c.CaseId,
            FormRequest(null, cookie, $"https://{Host}", ("resolution", "CorrectAddress"), ("name", "Ada <b>L</b>"), ("line1", "1 Analytical Way"),
                ("city", "London"), ("postalCode", "N1 9GU"), ("countryCode", "gb")),
            workflows.Object,
            default));

        Assert.Equal(StatusCodes.Status200OK, result.StatusCode);
        var address = new Address("Ada <b>L</b>", "1 Analytical Way", null, "London", null, "N1 9GU", "GB", null);
        workflows.Verify(
            w => w.RaiseEventAsync(c.OrderId, CaseDecision.EventName(c.CaseId), new CaseDecision(c.CaseId, CaseResolution.CorrectAddress, "operator:console", null, address), It.IsAny<CancellationToken>()),
            Times.Once);
    }

    [Theory]
    [InlineData("https://evil.example.test")]
    [InlineData("http://" + Host)]
    [InlineData("null")]
    [InlineData(null)]
    public async Task Resolve_WithCookieFromAnotherOriginOrNone_403AndCaseStaysOpen(string? origin)
    {
        var c = await OpenAsync(ExceptionReason.FraudReview, "Needs a person.");
        var cookie = await LoginAsync();

        var result = await Handler.ResolveAsync(c.CaseId, FormRequest(null, cookie, origin, ("resolution", "Cancel")), workflows.Object, default);

        Assert.Equal(StatusCodes.Status403Forbidden, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Equal(CaseStatuses.Open, (await Cases.GetAsync(c.CaseId))!.Status);
    }

    [Fact]
    public async Task Resolve_WithKeyHeader_NeedsNoOriginAndKeepsCaseRules()
    {
        var c = await OpenAsync(ExceptionReason.PaymentFailed, "Declined.");

        var notAllowed = await Handler.ResolveAsync(c.CaseId, FormRequest(Key, null, null, ("resolution", "Approve")), workflows.Object, default);
        var first = await Handler.ResolveAsync(c.CaseId, FormRequest(Key, null, null, ("resolution", "Cancel")), workflows.Object, default);
        var second = await Handler.ResolveAsync(c.CaseId, FormRequest(Key, null, null, ("resolution", "RetryStep")), workflows.Object, default);

        Assert.Equal(
            [StatusCodes.Status422UnprocessableEntity, StatusCodes.Status200OK, StatusCodes.Status409Conflict],
            new[] { notAllowed, first, second }.Select(r => Assert.IsAssignableFrom<IStatusCodeHttpResult>(r).StatusCode!.Value));
        Assert.Equal(CaseResolution.Cancel, (await Cases.GetAsync(c.CaseId))!.Resolution);
    }

    [Fact]
    public async Task Logout_FromSameOrigin_ExpiresTheCookieAndRedirectsToSignIn()
    {
        var cookie = await LoginAsync();
        var home = Assert.IsType<HtmlPage>(await Handler.HomeAsync(Request(null, cookie), default));
        Assert.Contains("<form method=\"post\" action=\"/api/console/logout\">", home.Html, StringComparison.Ordinal);

        var result = Handler.PostLogout(FormRequest(null, cookie, $"https://{Host}"));

        var context = new DefaultHttpContext();
        await Assert.IsType<ConsoleHandler.CookieRedirect>(result).ExecuteAsync(context);
        Assert.Equal(StatusCodes.Status303SeeOther, context.Response.StatusCode);
        Assert.Equal("/api/console/login", context.Response.Headers.Location.ToString());
        var setCookie = context.Response.Headers.SetCookie.ToString();
        Assert.StartsWith($"{ConsoleHandler.CookieName}=;", setCookie, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/api/console", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https://evil.example.test")]
    [InlineData("http://" + Host)]
    [InlineData(null)]
    public void Logout_FromAnotherOriginOrNone_403AndNoCookie(string? origin)
    {
        var result = Handler.PostLogout(FormRequest(null, null, origin));

        Assert.Equal(StatusCodes.Status403Forbidden, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
    }

    [Fact]
    public async Task Login_OverPlainHttp_CookieIsNotSecure_OriginMustBeHttpToo()
    {
        var refused = await Handler.PostLoginAsync(HttpForm($"https://{Host}", ("key", Key)), default);
        var result = await Handler.PostLoginAsync(HttpForm($"http://{Host}", ("key", Key)), default);

        Assert.Equal(StatusCodes.Status403Forbidden, Assert.IsAssignableFrom<IStatusCodeHttpResult>(refused).StatusCode);
        var context = new DefaultHttpContext();
        await Assert.IsType<ConsoleHandler.CookieRedirect>(result).ExecuteAsync(context);
        Assert.DoesNotContain("secure", context.Response.Headers.SetCookie.ToString(), StringComparison.OrdinalIgnoreCase);

        static HttpRequest HttpForm(string origin, params (string Name, string Value)[] fields)
        {
            var request = FormRequest(null, null, origin, fields);
            request.Scheme = "http";
            return request;
        }
    }

    /// <summary>Signs in and returns the session cookie's value, checking its attributes.</summary>
    private async Task<string> LoginAsync()
    {
        var result = await Handler.PostLoginAsync(FormRequest(null, null, $"https://{Host}", ("key", Key)), default);
        var redirect = Assert.IsType<ConsoleHandler.CookieRedirect>(result);
        var context = new DefaultHttpContext();
        await redirect.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status303SeeOther, context.Response.StatusCode);
        Assert.Equal("/api/console", context.Response.Headers.Location.ToString());
        var setCookie = context.Response.Headers.SetCookie.ToString();
        Assert.StartsWith($"{ConsoleHandler.CookieName}=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Key, setCookie, StringComparison.Ordinal);
        return setCookie.Split(';')[0][(ConsoleHandler.CookieName.Length + 1)..];
    }

    private TableExceptionQueue Cases => new(storage.Tables, Mock.Of<IApproverAlert>(), TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);

    private ConsoleHandler Handler => this.HandlerWith(null);

    private ConsoleHandler HandlerWith(OrderFlow.Workflows.Watchdog.WorkflowRestarter? restarter) => new(
        Cases,
        new CaseDecisionService(Cases, TimeProvider.System, NullLogger<CaseDecisionService>.Instance, restarter),
        Mock.Of<IOrderStore>(),
        new InventoryHandler(Mock.Of<ICatalog>(), Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key }), TimeProvider.System, NullLogger<InventoryHandler>.Instance),
        Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key }),
        TimeProvider.System,
        NullLogger<ConsoleHandler>.Instance);

    private async Task<ExceptionCase> OpenAsync(ExceptionReason reason, string error)
    {
        var orderId = $"order-{Guid.NewGuid():N}";
        var caseId = $"{orderId}-step-1";
        await Cases.OpenAsync(new OpenCaseRequest(caseId, orderId, reason, "step", error, CasePolicy.AllowedResolutions(reason), DateTimeOffset.UtcNow.AddDays(1)));
        return (await Cases.GetAsync(caseId))!;
    }
}
