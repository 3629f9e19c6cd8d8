using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Api.Cases;
using OrderFlow.Domain.Cases;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Approvals;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Approvals;

/// <summary>
/// The approval page against Azurite: a link works once, only for its case and action, only before it expires, only by
/// POST; every refusal leaves the case open and raises nothing.
/// </summary>
public sealed class ApprovalPageSecurityTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private const string Approver = "approvers@shop.example.com";
    private readonly Mock<IWorkflowClient> workflows = Running();
    private readonly ManualClock linkClock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Get_ValidLink_ShowsEncodedCaseAndConfirmFormAndChangesNothing()
    {
        var (c, handler, signer) = await OpenAsync(ExceptionReason.FraudReview, error: "Risk <script>alert(1)</script> highest");
        var token = signer.Issue(c.CaseId, CaseResolution.Approve, Approver);

        var page = Assert.IsType<HtmlPage>(await handler.GetAsync(token, default));

        Assert.Equal(StatusCodes.Status200OK, page.StatusCode);
        Assert.Contains(HtmlPage.Encode(c.CaseId), page.Html, StringComparison.Ordinal);
        Assert.Contains("FraudReview", page.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<form method=\"post\">", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOrders.Email, page.Html, StringComparison.OrdinalIgnoreCase);
        await AssertUnchangedAsync(c.CaseId);

        // A pre-fetch (GET, even twice) did not use the link up: the person's POST still works.
        await handler.GetAsync(token, default);
        var confirmed = await PostAsync(handler, token, c.CaseId, CaseResolution.Approve);
        Assert.Equal(StatusCodes.Status200OK, confirmed.StatusCode);
    }

    [Fact]
    public async Task Post_ValidLink_ResolvesCaseAndRaisesDecisionToTheOrder()
    {
        var (c, handler, signer) = await OpenAsync(ExceptionReason.FraudReview);
        var token = signer.Issue(c.CaseId, CaseResolution.Approve, Approver);

        var page = await PostAsync(handler, token, c.CaseId, CaseResolution.Approve, comment: "Known customer");

        Assert.Equal(StatusCodes.Status200OK, page.StatusCode);
        var stored = await Cases.GetAsync(c.CaseId);
        Assert.Equal((CaseStatuses.Resolved, CaseResolution.Approve, Approver, "Known customer"), (stored!.Status, stored.Resolution, stored.DecidedBy, stored.Comment));
        Assert.NotNull(stored.DecidedAt);
        workflows.Verify(
            w => w.RaiseEventAsync(c.OrderId, CaseDecision.EventName(c.CaseId), new CaseDecision(c.CaseId, CaseResolution.Approve, Approver, "Known customer"), It.IsAny<CancellationToken>()),
            Times.Once);
    }

    [Fact]
    public async Task Post_TamperedToken_Refused403AndNothingChanges()
    {
        var (c, handler, signer) = await OpenAsync(ExceptionReason.FraudReview);
        var token = signer.Issue(c.CaseId, CaseResolution.Approve, Approver);
        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

        var page = await PostAsync(handler, tampered, c.CaseId, CaseResolution.Approve);
        var shown = Assert.IsType<HtmlPage>(await handler.GetAsync(tampered, default));

        Assert.Equal(StatusCodes.Status403Forbidden, page.StatusCode);
        Assert.Equal(StatusCodes.Status403Forbidden, shown.StatusCode);
        await AssertUnchangedAsync(c.CaseId);
    }

    [Fact]
    public async Task Post_ExpiredToken_Refused410AndNothingChanges()
    {
        var (c, handler, signer) = await OpenAsync(ExceptionReason.FraudReview);
        var token = signer.Issue(c.CaseId, CaseResolution.Approve, Approver);
        linkClock.Advance(TimeSpan.FromHours(73));

        var page = await PostAsync(handler, token, c.CaseId, CaseResolution.Approve);

        Assert.Equal(StatusCodes.Status410Gone, page.StatusCode);
        await AssertUnchangedAsync(c.CaseId);
    }

    [Fact]
    public async Task Post_Replayed_Refused409AndRaisesOnlyOnce()
    {
        var (c, handler, signer) = await OpenAsync(ExceptionReason.FraudReview);
        var token = signer.Issue(c.CaseId, CaseResolution.Approve, Approver);
        var first = await PostAsync(handler, token, c.CaseId, CaseResolution.Approve);

        var replay = await PostAsync(handler, token, c.CaseId, CaseResolution.Approve);

        Assert.Equal(StatusCodes.Status200OK, first.StatusCode);
        Assert.Equal(StatusCodes.Status409Conflict, replay.StatusCode);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Post_UsedNonceOnStillOpenCase_Refused409AndNothingChanges()
    {
        // The nonce store alone refuses a replay, even if the case were still open.
        var (c, handler, signer) = await OpenAsync(ExceptionReason.FraudReview);
        var token = signer.Issue(c.CaseId, CaseResolution.Approve, Approver);
        signer.Verify(token, out var claims);
        Assert.True(await Nonces.TryConsumeAsync(claims!.Nonce, c.CaseId, Approver));

        var page = await PostAsync(handler, token, c.CaseId, CaseResolution.Approve);

        Assert.Equal(StatusCodes.Status409Conflict, page.StatusCode);
        Assert.Contains("already been used", page.Html, StringComparison.Ordinal);
        await AssertUnchangedAsync(c.CaseId);
    }

    [Fact]
    public async Task Post_TokenOfAnotherCase_Refused403AndNothingChanges()
    {
        var (c, handler, signer) = await OpenAsync(ExceptionReason.FraudReview);
        var (other, _, _) = await OpenAsync(ExceptionReason.FraudReview);
        var tokenForOther = signer.Issue(other.CaseId, CaseResolution.Approve, Approver);

        // The form confirms this case, the token grants the other one.
        var page = await PostAsync(handler, tokenForOther, c.CaseId, CaseResolution.Approve);

        Assert.Equal(StatusCodes.Status403Forbidden, page.StatusCode);
        await AssertUnchangedAsync(c.CaseId);
        await AssertUnchangedAsync(other.CaseId);
    }

    [Fact]
    public async Task Post_FormForAnotherAction_Refused403AndNothingChanges()
    {
        var (c, handler, signer) = await OpenAsync(ExceptionReason.FraudReview);
        var cancelToken = signer.Issue(c.CaseId, CaseResolution.Cancel, Approver);

        var page = await PostAsync(handler, cancelToken, c.CaseId, CaseResolution.Approve);

        Assert.Equal(StatusCodes.Status403Forbidden, page.StatusCode);
        await AssertUnchangedAsync(c.CaseId);
    }

    [Fact]
    public async Task Post_ActionTheCaseDoesNotAllow_Refused403AndNothingChanges()
    {
        // PaymentFailed allows RetryStep and Cancel only.
        var (c, handler, signer) = await OpenAsync(ExceptionReason.PaymentFailed);
        var approve = signer.Issue(c.CaseId, CaseResolution.Approve, Approver);

        var page = await PostAsync(handler, approve, c.CaseId, CaseResolution.Approve);

        Assert.Equal(StatusCodes.Status403Forbidden, page.StatusCode);
        await AssertUnchangedAsync(c.CaseId);
    }

    [Fact]
    public async Task Post_SecondLinkAfterCaseResolved_Refused409AndKeepsFirstDecision()
    {
        var (c, handler, signer) = await OpenAsync(ExceptionReason.FraudReview);
        await PostAsync(handler, signer.Issue(c.CaseId, CaseResolution.Approve, Approver), c.CaseId, CaseResolution.Approve);

        var page = await PostAsync(handler, signer.Issue(c.CaseId, CaseResolution.Cancel, Approver), c.CaseId, CaseResolution.Cancel);

        Assert.Equal(StatusCodes.Status409Conflict, page.StatusCode);
        Assert.Contains("already decided", page.Html, StringComparison.Ordinal);
        Assert.Equal(CaseResolution.Approve, (await Cases.GetAsync(c.CaseId))!.Resolution);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Post_WorkflowAlreadyEnded_SaysSoAndMarksCaseWithoutRaising()
    {
        var (c, handler, signer) = await OpenAsync(ExceptionReason.FraudReview);
        workflows.Setup(w => w.GetStatusAsync(c.OrderId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new WorkflowStatus(c.OrderId, "Completed", null, null, DateTimeOffset.UtcNow));

        var page = await PostAsync(handler, signer.Issue(c.CaseId, CaseResolution.Approve, Approver), c.CaseId, CaseResolution.Approve);

        Assert.Equal(StatusCodes.Status409Conflict, page.StatusCode);
        Assert.Contains("already ended", page.Html, StringComparison.Ordinal);
        Assert.Equal(CaseStatuses.WorkflowEnded, (await Cases.GetAsync(c.CaseId))!.Status);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Post_AfterDeadlineDefaultApplied_Refused409AndKeepsTheDefault()
    {
        var (c, handler, signer) = await OpenAsync(ExceptionReason.FraudReview);
        await Cases.RecordTimeoutAsync(new CaseTimeout(c.CaseId, c.OrderId, CaseResolution.Cancel));

        var page = await PostAsync(handler, signer.Issue(c.CaseId, CaseResolution.Approve, Approver), c.CaseId, CaseResolution.Approve);

        Assert.Equal(StatusCodes.Status409Conflict, page.StatusCode);
        var stored = await Cases.GetAsync(c.CaseId);
        Assert.Equal((CaseStatuses.TimedOut, CaseResolution.Cancel, "deadline"), (stored!.Status, stored.Resolution, stored.DecidedBy));
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RecordTimeout_AfterPersonDecided_KeepsThePersonsDecision()
    {
        var (c, handler, signer) = await OpenAsync(ExceptionReason.FraudReview);
        await PostAsync(handler, signer.Issue(c.CaseId, CaseResolution.Approve, Approver), c.CaseId, CaseResolution.Approve);

        await Cases.RecordTimeoutAsync(new CaseTimeout(c.CaseId, c.OrderId, CaseResolution.Cancel));

        var stored = await Cases.GetAsync(c.CaseId);
        Assert.Equal((CaseStatuses.Resolved, CaseResolution.Approve, Approver), (stored!.Status, stored.Resolution, stored.DecidedBy));
    }

    [Fact]
    public async Task Post_WithoutForm_Refused400AndNothingChanges()
    {
        var (c, handler, signer) = await OpenAsync(ExceptionReason.FraudReview);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";

        var page = Assert.IsType<HtmlPage>(await handler.PostAsync(signer.Issue(c.CaseId, CaseResolution.Approve, Approver), context.Request, workflows.Object, default));

        Assert.Equal(StatusCodes.Status400BadRequest, page.StatusCode);
        await AssertUnchangedAsync(c.CaseId);
    }

    private TableExceptionQueue Cases => new(storage.Tables, Mock.Of<IApproverAlert>(), TimeProvider.System, NullLogger<TableExceptionQueue>.Instance);

    private TableApprovalNonceStore Nonces => new(storage.Tables, TimeProvider.System);

    private async Task<(ExceptionCase Case, ApprovalPageHandler Handler, ApprovalLinkSigner Signer)> OpenAsync(ExceptionReason reason, string error = "Needs a person.")
    {
        var orders = new TableOrderStore(storage.Tables, NullLogger<TableOrderStore>.Instance);
        var order = TestOrders.Create($"order-{Guid.NewGuid():N}");
        await orders.CreateAsync(order, DateTimeOffset.UtcNow);
        var caseId = $"{order.OrderId}-fraud-1";
        await Cases.OpenAsync(new OpenCaseRequest(caseId, order.OrderId, reason, "fraud", error, CasePolicy.AllowedResolutions(reason), DateTimeOffset.UtcNow.AddDays(3)));

        var signer = TestApprovals.Signer(linkClock);
        var handler = new ApprovalPageHandler(
            signer, Nonces, Cases, orders, new CaseDecisionService(Cases, TimeProvider.System, NullLogger<CaseDecisionService>.Instance), NullLogger<ApprovalPageHandler>.Instance);
        return ((await Cases.GetAsync(caseId))!, handler, signer);
    }

    private async Task<HtmlPage> PostAsync(ApprovalPageHandler handler, string token, string caseId, CaseResolution resolution, string comment = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/x-www-form-urlencoded";
        var body = $"caseId={Uri.EscapeDataString(caseId)}&resolution={resolution}&comment={Uri.EscapeDataString(comment)}";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return Assert.IsType<HtmlPage>(await handler.PostAsync(token, context.Request, workflows.Object, default));
    }

    private async Task AssertUnchangedAsync(string caseId)
    {
        var stored = await Cases.GetAsync(caseId);
        Assert.Equal(CaseStatuses.Open, stored!.Status);
        Assert.Null(stored.Resolution);
        workflows.Verify(w => w.RaiseEventAsync(It.IsAny<string>(), CaseDecision.EventName(caseId), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private static Mock<IWorkflowClient> Running()
    {
        var mock = new Mock<IWorkflowClient>();
        mock.Setup(w => w.GetStatusAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new WorkflowStatus(id, "Running", "on-hold", null, DateTimeOffset.UtcNow));
        return mock;
    }
}
