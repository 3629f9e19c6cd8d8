using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Api.Cases;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Approvals;

/// <summary>The operators' cases API against Azurite: the key is required, and resolution follows the approval link's rules.</summary>
public sealed class CasesHandlerTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private const string Key = "test-operator-key-0123456789abcdef0123";
    private readonly Mock<IWorkflowClient> workflows = Running();

    private static Mock<IWorkflowClient> Running()
    {
        var mock = new Mock<IWorkflowClient>();
        mock.Setup(w => w.GetStatusAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new WorkflowStatus(id, "Running", null, null, DateTimeOffset.UtcNow));

        // No child workflow (a refund, "{order}:refund-{n}") exists: a restart finds none to stop.
        mock.Setup(w => w.GetStatusAsync(It.Is<string>(id => id.Contains(':', StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ReturnsAsync((WorkflowStatus?)null);
        return mock;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-key-0123456789abcdef0123456789")]
    public async Task AllRoutes_MissingOrWrongKey_401AndNothingChanges(string? key)
    {
        var c = await OpenAsync(ExceptionReason.FraudReview);

        var list = await Handler.ListAsync(Request(key), default);
        var get = await Handler.GetAsync(c.CaseId, Request(key), default);
        var resolve = await Handler.ResolveAsync(c.CaseId, Request(key, """{"resolution":"Approve"}"""), workflows.Object, default);

        Assert.All([list, get, resolve], r => Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(r).StatusCode));
        Assert.Equal(CaseStatuses.Open, (await Cases.GetAsync(c.CaseId))!.Status);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ListAsync_WithKey_ListsOpenCasesWithCountsPerReason()
    {
        var fraud = await OpenAsync(ExceptionReason.FraudReview);
        var payment = await OpenAsync(ExceptionReason.PaymentFailed);

        var result = Assert.IsType<Ok<CaseListView>>(await Handler.ListAsync(Request(Key), default));

        Assert.Contains(result.Value!.Cases, v => v.CaseId == fraud.CaseId && v.DefaultOnTimeout == "Cancel");
        Assert.Contains(result.Value.Cases, v => v.CaseId == payment.CaseId && v.AllowedResolutions.SequenceEqual(["RetryStep", "Cancel"]));
        Assert.True(result.Value.ByReason["FraudReview"] >= 1);
    }

    [Fact]
    public async Task GetAndList_CaseWhoseAlertFailed_ShowTheAlertFailure()
    {
        var failed = await OpenAsync(ExceptionReason.NotificationFailed);
        var alerted = await OpenAsync(ExceptionReason.FraudReview);
        await Cases.RecordAlertFailureAsync(failed.CaseId, "Approver alert failed: IOException: connection refused");

        var one = Assert.IsType<Ok<CaseView>>(await Handler.GetAsync(failed.CaseId, Request(Key), default)).Value!;
        var list = Assert.IsType<Ok<CaseListView>>(await Handler.ListAsync(Request(Key), default)).Value!;

        Assert.Equal("Approver alert failed: IOException: connection refused", one.AlertError);
        Assert.NotNull(one.AlertFailedAt);
        Assert.Equal(one.AlertError, list.Cases.Single(v => v.CaseId == failed.CaseId).AlertError);
        Assert.Null(list.Cases.Single(v => v.CaseId == alerted.CaseId).AlertError);
        Assert.Null(list.Cases.Single(v => v.CaseId == alerted.CaseId).AlertFailedAt);
    }

    [Fact]
    public async Task ResolveAsync_AllowedResolution_RecordsAndRaisesDecision()
    {
        var c = await OpenAsync(ExceptionReason.FraudReview);

        var result = Assert.IsType<Ok<CaseResolveResponse>>(
            await Handler.ResolveAsync(c.CaseId, Request(Key, """{"resolution":"approve","comment":"checked by phone","decidedBy":"sam"}"""), workflows.Object, default));

        Assert.Equal(("Resolved", CaseStatuses.Resolved, "operator:sam"), (result.Value!.Outcome, result.Value.Case.Status, result.Value.Case.DecidedBy));
        workflows.Verify(
            w => w.RaiseEventAsync(c.OrderId, CaseDecision.EventName(c.CaseId), new CaseDecision(c.CaseId, CaseResolution.Approve, "operator:sam", "checked by phone"), It.IsAny<CancellationToken>()),
            Times.Once);
    }

    [Fact]
    public async Task ResolveAsync_NotAllowedThenTwice_422Then409AndOneEvent()
    {
        var c = await OpenAsync(ExceptionReason.PaymentFailed);

        var notAllowed = await Handler.ResolveAsync(c.CaseId, Request(Key, """{"resolution":"Approve"}"""), workflows.Object, default);
        var first = await Handler.ResolveAsync(c.CaseId, Request(Key, """{"resolution":"Cancel"}"""), workflows.Object, default);
        var second = await Handler.ResolveAsync(c.CaseId, Request(Key, """{"resolution":"RetryStep"}"""), workflows.Object, default);

        Assert.Equal(StatusCodes.Status422UnprocessableEntity, Assert.IsAssignableFrom<IStatusCodeHttpResult>(notAllowed).StatusCode);
        Assert.Equal(StatusCodes.Status200OK, Assert.IsAssignableFrom<IStatusCodeHttpResult>(first).StatusCode);
        Assert.Equal(StatusCodes.Status409Conflict, Assert.IsAssignableFrom<IStatusCodeHttpResult>(second).StatusCode);
        Assert.Equal(CaseResolution.Cancel, (await Cases.GetAsync(c.CaseId))!.Resolution);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData("""{"resolution":"CorrectAddress"}""")]
    [InlineData("""{"resolution":"CorrectAddress","address":{"name":"Ana","line1":"","city":"Lyon","postalCode":"69001","countryCode":"FR"}}""")]
    public async Task ResolveAsync_CorrectAddressWithoutAddress_422AndNothingChanges(string body)
    {
        var c = await OpenAsync(ExceptionReason.AddressInvalid);

        var result = await Handler.ResolveAsync(c.CaseId, Request(Key, body), workflows.Object, default);

        var problem = Assert.IsAssignableFrom<IStatusCodeHttpResult>(result);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, problem.StatusCode);
        Assert.Contains("corrected address", Assert.IsType<ProblemHttpResult>(result).ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Equal(CaseStatuses.Open, (await Cases.GetAsync(c.CaseId))!.Status);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ResolveAsync_CorrectAddressWithAddress_RaisesDecisionCarryingTheAddress()
    {
        var c = await OpenAsync(ExceptionReason.AddressInvalid);
        var body = """{"resolution":"CorrectAddress","decidedBy":"sam","address":{"name":"Ana Silva","line1":"1 Rue de la Paix","city":"Lyon","postalCode":"69001","countryCode":"FR"}}""";

        var result = Assert.IsType<Ok<CaseResolveResponse>>(await Handler.ResolveAsync(c.CaseId, Request(Key, body), workflows.Object, default));

        Assert.Equal("CorrectAddress", result.Value!.Resolution);
        var address = new Address("Ana Silva", "1 Rue de la Paix", null, "Lyon", null, "69001", "FR", null);
        workflows.Verify(
            w => w.RaiseEventAsync(c.OrderId, CaseDecision.EventName(c.CaseId), new CaseDecision(c.CaseId, CaseResolution.CorrectAddress, "operator:sam", null, address), It.IsAny<CancellationToken>()),
            Times.Once);
    }

    [Theory]
    [InlineData("""{"resolution":"Maybe"}""")]
    [InlineData("""{"resolution":"1"}""")]
    [InlineData("""{}""")]
    [InlineData("""not json""")]
    public async Task ResolveAsync_BadBody_400(string body)
    {
        var c = await OpenAsync(ExceptionReason.FraudReview);

        var result = await Handler.ResolveAsync(c.CaseId, Request(Key, body), workflows.Object, default);

        Assert.Equal(StatusCodes.Status400BadRequest, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Equal(CaseStatuses.Open, (await Cases.GetAsync(c.CaseId))!.Status);
    }

    [Fact]
    public async Task ResolveAsync_WorkflowFailedCase_RetryWhileRunning409StaysOpen_CancelAfterFailureRestartsToCancel()
    {
        var c = await OpenAsync(ExceptionReason.WorkflowFailed);
        var orders = new Mock<IOrderStore>();
        orders.Setup(o => o.GetAsync(c.OrderId, It.IsAny<CancellationToken>())).ReturnsAsync(new OrderRecord(null!, OrderStatus.Reserved, [], []));
        var handler = HandlerWith(new OrderFlow.Workflows.Watchdog.WorkflowRestarter(orders.Object, TimeProvider.System, NullLogger<OrderFlow.Workflows.Watchdog.WorkflowRestarter>.Instance));
        var input = new OrderWorkflowInput(c.OrderId, "shop", "dlv-1", new OrderWorkflowSettings(TimeSpan.FromDays(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1)), OrderWorkflowVersions.Current);
        workflows.Setup(w => w.GetInputAsync<OrderWorkflowInput>(c.OrderId, It.IsAny<CancellationToken>())).ReturnsAsync(input);

        // Still running (the case is stale): refused, nothing recorded.
        var refused = await handler.ResolveAsync(c.CaseId, Request(Key, """{"resolution":"RetryStep"}"""), workflows.Object, default);
        Assert.Equal(StatusCodes.Status409Conflict, Assert.IsAssignableFrom<IStatusCodeHttpResult>(refused).StatusCode);
        Assert.Equal(CaseStatuses.Open, (await Cases.GetAsync(c.CaseId))!.Status);

        workflows.Setup(w => w.GetStatusAsync(c.OrderId, It.IsAny<CancellationToken>())).ReturnsAsync(new WorkflowStatus(c.OrderId, "Terminated", null, null, DateTimeOffset.UtcNow));
        workflows.Setup(w => w.RestartAsync("OrderOrchestrator", c.OrderId, It.IsAny<object>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var result = Assert.IsType<Ok<CaseResolveResponse>>(await handler.ResolveAsync(c.CaseId, Request(Key, """{"resolution":"Cancel"}"""), workflows.Object, default));

        Assert.Equal(CaseStatuses.Resolved, (await Cases.GetAsync(c.CaseId))!.Status);
        Assert.Equal("Resolved", result.Value!.Outcome);
        workflows.Verify(
            w => w.RestartAsync("OrderOrchestrator", c.OrderId, It.Is<OrderWorkflowInput>(i => i.Restart == new WorkflowRestart(1, c.CaseId, true)), It.IsAny<CancellationToken>()),
            Times.Once);
        orders.Verify(o => o.AppendTimelineAsync(c.OrderId, It.Is<TimelineEntry>(t => t.Kind == "workflow" && t.Message.Contains(c.CaseId)), It.IsAny<CancellationToken>()), Times.Once);
    }

    private TableExceptionQueue Cases => new(storage.Tables, Mock.Of<IApproverAlert>(), TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);

    private CasesHandler Handler => HandlerWith(null);

    private CasesHandler HandlerWith(OrderFlow.Workflows.Watchdog.WorkflowRestarter? restarter) => new(
        Cases,
        new CaseDecisionService(Cases, TimeProvider.System, NullLogger<CaseDecisionService>.Instance, restarter),
        Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key }),
        TimeProvider.System,
        NullLogger<CasesHandler>.Instance);

    private async Task<ExceptionCase> OpenAsync(ExceptionReason reason)
    {
        var orderId = $"order-{Guid.NewGuid():N}";
        var caseId = $"{orderId}-step-1";
        await Cases.OpenAsync(new OpenCaseRequest(caseId, orderId, reason, "step", "Needs a person.", CasePolicy.AllowedResolutions(reason), DateTimeOffset.UtcNow.AddDays(1)));
        return (await Cases.GetAsync(caseId))!;
    }

    private static HttpRequest Request(string? key, string? json = null)
    {
        var context = new DefaultHttpContext();
        if (key is not null)
        {
            context.Request.Headers[CasesHandler.KeyHeader] = key;
        }

        if (json is not null)
        {
            context.Request.Method = "POST";
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        }

        return context.Request;
    }
}
