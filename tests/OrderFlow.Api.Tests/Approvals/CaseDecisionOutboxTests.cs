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

/// <summary>
/// Decisions as an outbox, on Azurite, with a workflow client whose first raise fails: the decision is recorded as
/// Decided, and the approver's retry or the sweeper delivers it and marks the case Resolved; it is never lost.
/// </summary>
public sealed class CaseDecisionOutboxTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private const string Key = "test-operator-key-0123456789abcdef0123";
    private const string Approver = "approvers@shop.example.com";
    private readonly FlakyWorkflows workflows = new();

    [Fact]
    public async Task ResolveAsync_RaiseFailsOnce_CaseStaysDecidedAndTheSameChoiceAgainDeliversItWithSuccess()
    {
        var c = await OpenAsync(ExceptionReason.FraudReview);

        await Assert.ThrowsAsync<TimeoutException>(() => CasesApi.ResolveAsync(c.CaseId, Request("""{"resolution":"Approve","comment":"ok","decidedBy":"sam"}"""), workflows.Client, default));
        var decided = await Cases.GetAsync(c.CaseId);
        Assert.Equal((CaseStatuses.Decided, CaseResolution.Approve, "operator:sam"), (decided!.Status, decided.Resolution, decided.DecidedBy));
        Assert.Empty(workflows.Delivered);

        var retry = Assert.IsType<Ok<CaseResolveResponse>>(
            await CasesApi.ResolveAsync(c.CaseId, Request("""{"resolution":"Approve","decidedBy":"sam"}"""), workflows.Client, default));

        Assert.Equal(("Resolved", CaseStatuses.Resolved), (retry.Value!.Outcome, retry.Value.Case.Status));
        Assert.Equal([(c.OrderId, new CaseDecision(c.CaseId, CaseResolution.Approve, "operator:sam", "ok"))], workflows.Delivered);
    }

    [Fact]
    public async Task ResolveAsync_AnotherChoiceWhileDecided_409AndTheRecordedDecisionStays()
    {
        var c = await OpenAsync(ExceptionReason.FraudReview);
        await Assert.ThrowsAsync<TimeoutException>(() => CasesApi.ResolveAsync(c.CaseId, Request("""{"resolution":"Approve"}"""), workflows.Client, default));

        var other = await CasesApi.ResolveAsync(c.CaseId, Request("""{"resolution":"Cancel"}"""), workflows.Client, default);

        Assert.Equal(StatusCodes.Status409Conflict, Assert.IsAssignableFrom<IStatusCodeHttpResult>(other).StatusCode);
        var stored = await Cases.GetAsync(c.CaseId);
        Assert.Equal((CaseStatuses.Decided, CaseResolution.Approve), (stored!.Status, stored.Resolution));
        Assert.Empty(workflows.Delivered);
    }

    [Fact]
    public async Task RedeliverAsync_DecidedForOverAMinute_RaisesTheRecordedDecisionWithItsAddressAndResolves()
    {
        var c = await OpenAsync(ExceptionReason.AddressInvalid);
        var address = new Address("Ada Lovelace", "12 St James's Square", null, "London", null, "SW1Y 4JH", "GB", null);
        await Assert.ThrowsAsync<TimeoutException>(() => Service.DecideAsync(c, CaseResolution.CorrectAddress, "operator:sam", null, workflows.Client, default, address));
        Assert.Equal(CaseStatuses.Decided, (await Cases.GetAsync(c.CaseId))!.Status);

        await Service.RedeliverAsync(workflows.Client, DateTimeOffset.UtcNow, default);
        Assert.Equal(CaseStatuses.Decided, (await Cases.GetAsync(c.CaseId))!.Status);
        Assert.Empty(workflows.Delivered);

        await Service.RedeliverAsync(workflows.Client, DateTimeOffset.UtcNow.AddMinutes(2), default);

        var stored = await Cases.GetAsync(c.CaseId);
        Assert.Equal(CaseStatuses.Resolved, stored!.Status);
        Assert.Null(stored.CorrectedAddress);
        Assert.Contains((c.OrderId, new CaseDecision(c.CaseId, CaseResolution.CorrectAddress, "operator:sam", null, address)), workflows.Delivered);
    }

    [Fact]
    public async Task RedeliverAsync_WorkflowEndedWhileDecided_MarksWorkflowEndedWithoutRaising()
    {
        var c = await OpenAsync(ExceptionReason.FraudReview);
        await Assert.ThrowsAsync<TimeoutException>(() => Service.DecideAsync(c, CaseResolution.Approve, "operator:sam", null, workflows.Client, default));
        workflows.Ended.Add(c.OrderId);

        await Service.RedeliverAsync(workflows.Client, DateTimeOffset.UtcNow.AddMinutes(2), default);

        Assert.Equal(CaseStatuses.WorkflowEnded, (await Cases.GetAsync(c.CaseId))!.Status);
        Assert.DoesNotContain(workflows.Delivered, d => d.Decision.CaseId == c.CaseId);
    }

    [Fact]
    public async Task RecordTimeout_WhileDecided_TheDefaultIsRecordedAndNothingIsRedelivered()
    {
        var c = await OpenAsync(ExceptionReason.FraudReview);
        await Assert.ThrowsAsync<TimeoutException>(() => Service.DecideAsync(c, CaseResolution.Approve, "operator:sam", null, workflows.Client, default));

        await Cases.RecordTimeoutAsync(new CaseTimeout(c.CaseId, c.OrderId, CaseResolution.Cancel));
        await Service.RedeliverAsync(workflows.Client, DateTimeOffset.UtcNow.AddMinutes(2), default);

        var stored = await Cases.GetAsync(c.CaseId);
        Assert.Equal((CaseStatuses.TimedOut, CaseResolution.Cancel), (stored!.Status, stored.Resolution));
        Assert.DoesNotContain(workflows.Delivered, d => d.Decision.CaseId == c.CaseId);
    }

    [Fact]
    public async Task ApprovalLink_RaiseFailsOnce_TheApproversRetryOfTheSameLinkAnswers200AndDelivers()
    {
        var c = await OpenAsync(ExceptionReason.FraudReview);
        var signer = TestApprovals.Signer(new ManualClock(DateTimeOffset.UtcNow));
        var orders = new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance);
        var page = new ApprovalPageHandler(signer, new TableApprovalNonceStore(storage.Tables, TimeProvider.System), Cases, orders, Service, NullLogger<ApprovalPageHandler>.Instance);
        var token = signer.Issue(c.CaseId, CaseResolution.Approve, Approver);

        await Assert.ThrowsAsync<TimeoutException>(() => page.PostAsync(token, Form(c.CaseId, CaseResolution.Approve), workflows.Client, default));
        var retry = Assert.IsType<HtmlPage>(await page.PostAsync(token, Form(c.CaseId, CaseResolution.Approve), workflows.Client, default));

        Assert.Equal(StatusCodes.Status200OK, retry.StatusCode);
        Assert.Equal(CaseStatuses.Resolved, (await Cases.GetAsync(c.CaseId))!.Status);
        Assert.Equal([(c.OrderId, new CaseDecision(c.CaseId, CaseResolution.Approve, Approver, null))], workflows.Delivered);

        // Delivered now: the same link again is the ordinary replay refusal.
        var replay = Assert.IsType<HtmlPage>(await page.PostAsync(token, Form(c.CaseId, CaseResolution.Approve), workflows.Client, default));
        Assert.Equal(StatusCodes.Status409Conflict, replay.StatusCode);
    }

    [Fact]
    public async Task DecideAsync_ReturnCase_DecisionGoesToTheReturnsWorkflow()
    {
        var orderId = $"order-{Guid.NewGuid():N}";
        var request = new OpenCaseRequest($"{orderId}-refund-1", orderId, ExceptionReason.RefundFailed, "refund", "Refund refused.", CasePolicy.AllowedResolutions(ExceptionReason.RefundFailed), DateTimeOffset.UtcNow.AddDays(1))
        {
            WorkflowId = "return-shop-1-1",
        };
        var returns = new Mock<IWorkflowClient>();
        returns.Setup(w => w.GetStatusAsync("return-shop-1-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowStatus("return-shop-1-1", "Running", null, null, DateTimeOffset.UtcNow));
        await Cases.OpenAsync(request);
        var stored = await Cases.GetAsync(request.CaseId);

        var outcome = await Service.DecideAsync(stored!, CaseResolution.RetryStep, "ops@example.test", null, returns.Object, default);

        Assert.Equal(("return-shop-1-1", orderId), (stored!.InstanceId, stored.OrderId));
        Assert.Equal(CaseDecisionOutcome.Resolved, outcome);
        returns.Verify(w => w.RaiseEventAsync("return-shop-1-1", CaseDecision.EventName(request.CaseId), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
        returns.Verify(w => w.RaiseEventAsync(orderId, It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private TableExceptionQueue Cases => new(storage.Tables, Mock.Of<IApproverAlert>(), TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);

    private CaseDecisionService Service => new(Cases, TimeProvider.System, NullLogger<CaseDecisionService>.Instance);

    private CasesHandler CasesApi => new(Cases, Service, Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key }), TimeProvider.System, NullLogger<CasesHandler>.Instance);

    private async Task<ExceptionCase> OpenAsync(ExceptionReason reason)
    {
        var orderId = $"order-{Guid.NewGuid():N}";
        var caseId = $"{orderId}-step-1";
        await Cases.OpenAsync(new OpenCaseRequest(caseId, orderId, reason, "step", "Needs a person.", CasePolicy.AllowedResolutions(reason), DateTimeOffset.UtcNow.AddDays(1)));
        return (await Cases.GetAsync(caseId))!;
    }

    private static HttpRequest Request(string json)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[CasesHandler.KeyHeader] = Key;
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return context.Request;
    }

    private static HttpRequest Form(string caseId, CaseResolution resolution)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/x-www-form-urlencoded";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes($"caseId={Uri.EscapeDataString(caseId)}&resolution={resolution}&comment="));
        return context.Request;
    }

    /// <summary>Running workflows (unless ended) whose first raised event fails, as a storage outage would; later raises are delivered.</summary>
    private sealed class FlakyWorkflows
    {
        private int raises;

        public FlakyWorkflows()
        {
            var mock = new Mock<IWorkflowClient>();
            mock.Setup(w => w.GetStatusAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync((string id, CancellationToken _) => new WorkflowStatus(id, Ended.Contains(id) ? "Completed" : "Running", null, null, DateTimeOffset.UtcNow));
            mock.Setup(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()))
                .Returns((string id, string name, object payload, CancellationToken _) =>
                {
                    if (Interlocked.Increment(ref raises) == 1)
                    {
                        throw new TimeoutException("the task hub did not answer");
                    }

                    Assert.Equal(CaseDecision.EventName(((CaseDecision)payload).CaseId), name);
                    Delivered.Add((id, (CaseDecision)payload));
                    return Task.CompletedTask;
                });
            Client = mock.Object;
        }

        public IWorkflowClient Client { get; }

        public List<(string InstanceId, CaseDecision Decision)> Delivered { get; } = [];

        public HashSet<string> Ended { get; } = [];
    }
}
