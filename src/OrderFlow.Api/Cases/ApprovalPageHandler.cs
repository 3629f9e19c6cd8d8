using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Workflows.Approvals;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Cases;

/// <summary>
/// GET/POST /api/approvals/{token}. GET only shows the case and a confirmation form, so mail scanners that pre-fetch
/// links change nothing. POST verifies the token again (and that the form's case and action are the token's), uses up
/// its nonce, and only then records the decision and resumes the workflow. Every refusal is a 4xx page that changes
/// nothing besides the used nonce.
/// </summary>
public sealed partial class ApprovalPageHandler(
    ApprovalLinkSigner signer,
    IApprovalNonceStore nonces,
    ICaseReader cases,
    IOrderStore orders,
    CaseDecisionService decisions,
    ILogger<ApprovalPageHandler> logger)
{
    public const string Route = "approvals/{token}";

    private const int MaxCommentChars = 2000;

    public async Task<IResult> GetAsync(string token, CancellationToken cancellationToken)
    {
        var (exceptionCase, claims, refusal) = await CheckAsync(token, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var c = exceptionCase!;
        if (claims!.Resolution == CaseResolution.CorrectAddress)
        {
            // The address has to be typed in; a link cannot carry it. The console has the form.
            var console = new HtmlPage($"Correct the address for case {c.CaseId}", StatusCodes.Status200OK)
                .Paragraph("Use the operations console to enter the corrected address for this case; nothing was decided here.", "note");
            await DescribeAsync(console, c, cancellationToken);
            return console;
        }

        var page = new HtmlPage($"Confirm: {claims.Resolution} for case {c.CaseId}", StatusCodes.Status200OK)
            .Paragraph($"You are about to decide {claims.Resolution} for this case. Nothing happens until you confirm below.", "note");
        await DescribeAsync(page, c, cancellationToken);
        page.Heading("Your decision")
            .Rows([("Action", claims.Resolution.ToString()), ("Decided by", claims.Approver), ("Link valid until", Format(claims.ExpiresAt))])
            .ConfirmForm($"Confirm {claims.Resolution}", [("caseId", c.CaseId), ("resolution", claims.Resolution.ToString())]);
        return page;
    }

    public async Task<IResult> PostAsync(string token, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Refuse a forged or expired link before reading any body.
        var signed = signer.Verify(token, out _);
        if (signed != ApprovalTokenCheck.Valid)
        {
            LogRefused(signed.ToString());
            return RefuseToken(signed);
        }

        if (!request.HasFormContentType)
        {
            return Refuse(StatusCodes.Status400BadRequest, "This page expects the confirmation form.");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var formCase = form["caseId"].ToString();
        if (!Enum.TryParse<CaseResolution>(form["resolution"].ToString(), ignoreCase: false, out var formResolution) || !Enum.IsDefined(formResolution))
        {
            return Refuse(StatusCodes.Status400BadRequest, "The confirmation form is incomplete.");
        }

        var comment = form["comment"].ToString().Trim();
        if (comment.Length > MaxCommentChars)
        {
            comment = comment[..MaxCommentChars];
        }

        // The form must confirm exactly what the token grants: its case and its action.
        var check = signer.Verify(token, formCase, formResolution, out _);
        if (check != ApprovalTokenCheck.Valid)
        {
            LogRefused(check.ToString());
            return RefuseToken(check);
        }

        var (exceptionCase, claims, refusal) = await CheckAsync(token, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var c = exceptionCase!;

        // A retry of the decision this link recorded (its delivery failed) has already used the nonce; it only delivers.
        if (!c.IsDecided && !await nonces.TryConsumeAsync(claims!.Nonce, c.CaseId, claims.Approver, cancellationToken))
        {
            LogRefused("Replayed");
            return Refuse(StatusCodes.Status409Conflict, "This link has already been used. Each approval link works once.");
        }

        var outcome = await decisions.DecideAsync(c, claims!.Resolution, claims.Approver, comment.Length == 0 ? null : comment, workflows, cancellationToken);
        LogDecision(c.OrderId, c.CaseId, claims.Resolution.ToString(), outcome.ToString());
        return outcome switch
        {
            CaseDecisionOutcome.Resolved when !c.AwaitsWorkflow => new HtmlPage($"Decision recorded: {claims.Resolution}", StatusCodes.Status200OK)
                .Paragraph($"Case {c.CaseId} is acknowledged ({claims.Resolution}). No workflow waits for it, so nothing else changes.", "note"),
            CaseDecisionOutcome.Resolved => new HtmlPage($"Decision recorded: {claims.Resolution}", StatusCodes.Status200OK)
                .Paragraph($"Case {c.CaseId} is resolved as {claims.Resolution}. Order {c.OrderId} continues accordingly.", "note"),
            CaseDecisionOutcome.WorkflowEnded => new HtmlPage("The order had already finished", StatusCodes.Status409Conflict)
                .Paragraph($"Your decision ({claims.Resolution}) is recorded on case {c.CaseId}, but the order's workflow had already ended, so nothing was resumed. Please check order {c.OrderId} in the operations console.", "note"),
            CaseDecisionOutcome.DeadlinePassed => Refuse(StatusCodes.Status409Conflict, $"The deadline of case {c.CaseId} has passed and its default policy ({CasePolicy.DefaultOnTimeout(c.Reason)}) applied."),
            CaseDecisionOutcome.NotAllowed => Refuse(StatusCodes.Status403Forbidden, "This action is not allowed for this case."),
            CaseDecisionOutcome.RestartRefused => Refuse(StatusCodes.Status409Conflict, CaseDecisionService.RestartRefusedMessage),
            CaseDecisionOutcome.AddressRequired => Refuse(StatusCodes.Status422UnprocessableEntity, "A corrected address cannot be entered here: use the operations console to enter the corrected address."),
            _ => AlreadyDecided(c),
        };
    }

    /// <summary>Token signature and expiry, the case it names, the action allowed there, the case still open.</summary>
    private async Task<(ExceptionCase? Case, ApprovalToken? Claims, IResult? Refusal)> CheckAsync(string token, CancellationToken cancellationToken)
    {
        var check = signer.Verify(token, out var claims);
        if (check != ApprovalTokenCheck.Valid)
        {
            LogRefused(check.ToString());
            return (null, null, RefuseToken(check));
        }

        var exceptionCase = await cases.GetAsync(claims!.CaseId, cancellationToken);
        if (exceptionCase is null)
        {
            LogRefused("UnknownCase");
            return (null, null, Refuse(StatusCodes.Status404NotFound, "This link names a case that does not exist."));
        }

        if (!exceptionCase.AllowedResolutions.Contains(claims.Resolution))
        {
            LogRefused(nameof(ApprovalTokenCheck.WrongAction));
            return (null, null, Refuse(StatusCodes.Status403Forbidden, "This action is not allowed for this case."));
        }

        // Decided but not yet delivered with this very choice: the approver's retry goes on and delivers it.
        if (!exceptionCase.IsOpen && !(exceptionCase.IsDecided && exceptionCase.Resolution == claims.Resolution))
        {
            return (null, null, AlreadyDecided(exceptionCase));
        }

        return (exceptionCase, claims, null);
    }

    private async Task DescribeAsync(HtmlPage page, ExceptionCase c, CancellationToken cancellationToken)
    {
        var record = c.NamesAnOrder ? await orders.GetAsync(c.OrderId, cancellationToken) : null;
        page.Heading("Case")
            .Rows(
            [
                ("Case", c.CaseId),
                ("Reason", c.Reason.ToString()),
                ("Step", c.Step),
                ("Opened", Format(c.OpenedAt)),
                ("Decide by", Format(c.Deadline)),
                ("If nobody decides", c.AwaitsWorkflow ? CasePolicy.DefaultOnTimeout(c.Reason).ToString() : "nothing: the case stays open until acknowledged"),
            ])
            .Heading("What happened")
            .Paragraph(c.Error);
        if (!c.NamesAnOrder)
        {
            // A rejected intake made no order: the case names the delivery (its text says where the payload is kept),
            // a channel sync failure the channel.
            page.Heading(c.Subject).Rows([(c.Subject, c.OrderId)]);
            return;
        }

        page.Heading("Order")
            .Rows([("Order id", c.OrderId), ("Order number", record?.Order.OrderNumber ?? "(not recorded)"), ("Status", record?.Status.ToString() ?? "unknown")]);

        // Lines and total only: the approver needs what was ordered, not who ordered it.
        if (record is not null)
        {
            var order = record.Order;
            page.Rows(order.Lines.Select(l => ($"{l.Quantity} x {l.Sku} ({l.Title})", Currencies.Format(l.Total.MinorUnits, l.Total.Currency)))
                .Append(("Total", Currencies.Format(order.Totals.Total.MinorUnits, order.Totals.Total.Currency))));
        }
    }

    private static HtmlPage AlreadyDecided(ExceptionCase c) =>
        Refuse(
            StatusCodes.Status409Conflict,
            c.Resolution is { } resolution
                ? $"Case {c.CaseId} was already decided: {resolution} by {c.DecidedBy} at {(c.DecidedAt is { } at ? Format(at) : "an earlier time")}. Nothing was changed."
                : $"Case {c.CaseId} is no longer open ({c.Status}). Nothing was changed.");

    private static HtmlPage RefuseToken(ApprovalTokenCheck check) => check switch
    {
        ApprovalTokenCheck.Expired => Refuse(StatusCodes.Status410Gone, "This approval link has expired. Ask for the case to be sent again, or use the operations console."),
        ApprovalTokenCheck.WrongCase => Refuse(StatusCodes.Status403Forbidden, "This link is not valid for this case."),
        ApprovalTokenCheck.WrongAction => Refuse(StatusCodes.Status403Forbidden, "This link is not valid for this action."),
        ApprovalTokenCheck.BadSignature => Refuse(StatusCodes.Status403Forbidden, "This approval link is not valid (it may have been altered)."),
        _ => Refuse(StatusCodes.Status400BadRequest, "This approval link is not valid."),
    };

    private static HtmlPage Refuse(int statusCode, string message) =>
        new HtmlPage("Approval not possible", statusCode).Paragraph(message, "note");

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Approval link refused: {Why}")]
    private partial void LogRefused(string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: case {CaseId} decision {Resolution} via approval link: {Outcome}")]
    private partial void LogDecision(string orderId, string caseId, string resolution, string outcome);
}
