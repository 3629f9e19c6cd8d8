using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Cases;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Cases;

/// <summary>
/// The operators' cases API behind X-Operator-Key: list open cases, read one, resolve one (same rules as the
/// approval link: only an open case, only an allowed resolution, the first decision wins).
/// </summary>
public sealed partial class CasesHandler(
    ICaseReader cases,
    CaseDecisionService decisions,
    IOptions<OperationsOptions> operations,
    TimeProvider clock,
    ILogger<CasesHandler> logger)
{
    public const string ListRoute = "cases";
    public const string CaseRoute = "cases/{caseId}";
    public const string ResolveRoute = "cases/{caseId}/resolve";
    public const string KeyHeader = OperatorKey.Header;

    private const int MaxBodyBytes = 64 * 1024;
    private const int MaxCommentChars = 4000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!Authorized(request))
        {
            return OperatorKey.Unauthorized();
        }

        var open = await cases.ListOpenAsync(cancellationToken);
        var views = open.Select(View).ToList();
        var byReason = views.GroupBy(v => v.Reason, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return Results.Ok(new CaseListView(views.Count, byReason, views));
    }

    public async Task<IResult> GetAsync(string caseId, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!Authorized(request))
        {
            return OperatorKey.Unauthorized();
        }

        var exceptionCase = await cases.GetAsync(caseId, cancellationToken);
        return exceptionCase is null ? Problems.NotFound($"No case '{caseId}'.") : Results.Ok(View(exceptionCase));
    }

    public async Task<IResult> ResolveAsync(string caseId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Authorized(request))
        {
            return OperatorKey.Unauthorized();
        }

        var body = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.BadRequest($"The body exceeds {MaxBodyBytes} bytes.");
        }

        CaseResolveRequest? input;
        try
        {
            input = JsonSerializer.Deserialize<CaseResolveRequest>(body, Json);
        }
        catch (JsonException)
        {
            return Problems.BadRequest("The body is not valid JSON.");
        }

        if (input is null || !Enum.TryParse<CaseResolution>(input.Resolution, ignoreCase: true, out var resolution) || !Enum.IsDefined(resolution)
            || int.TryParse(input.Resolution, out _))
        {
            return Problems.BadRequest($"'resolution' must be one of: {string.Join(", ", Enum.GetNames<CaseResolution>())}.");
        }

        var exceptionCase = await cases.GetAsync(caseId, cancellationToken);
        if (exceptionCase is null)
        {
            return Problems.NotFound($"No case '{caseId}'.");
        }

        var comment = input.Comment?.Trim();
        if (string.IsNullOrEmpty(comment))
        {
            comment = null;
        }
        else if (comment.Length > MaxCommentChars)
        {
            comment = comment[..MaxCommentChars];
        }

        var decidedBy = string.IsNullOrWhiteSpace(input.DecidedBy) ? "operator" : $"operator:{input.DecidedBy.Trim()}";
        var outcome = await decisions.DecideAsync(exceptionCase, resolution, decidedBy, comment, workflows, cancellationToken, input.Address);
        LogResolved(exceptionCase.OrderId, caseId, resolution.ToString(), outcome.ToString());
        return outcome switch
        {
            CaseDecisionOutcome.Resolved or CaseDecisionOutcome.WorkflowEnded =>
                Results.Ok(new CaseResolveResponse(caseId, resolution.ToString(), outcome.ToString(), View((await cases.GetAsync(caseId, cancellationToken))!))),
            CaseDecisionOutcome.NotAllowed => Problems.Unprocessable(
                $"'{resolution}' is not allowed for case '{caseId}'; allowed: {string.Join(", ", exceptionCase.AllowedResolutions)}."),
            CaseDecisionOutcome.AddressRequired => Problems.Unprocessable(CaseDecisionService.AddressRequiredMessage),
            CaseDecisionOutcome.RestartRefused => Problems.Conflict(CaseDecisionService.RestartRefusedMessage),
            CaseDecisionOutcome.DeadlinePassed => Problems.Conflict($"The deadline of case '{caseId}' has passed; its default policy applied."),
            _ => Problems.Conflict($"Case '{caseId}' is not open (status {exceptionCase.Status})."),
        };
    }

    private bool Authorized(HttpRequest request) => OperatorKey.Authorized(request, operations.Value);

    private CaseView View(ExceptionCase c) => new(
        c.CaseId,
        c.OrderId,
        c.Reason.ToString(),
        c.Step,
        c.Error,
        c.AllowedResolutions.Select(r => r.ToString()).ToList(),
        CasePolicy.DefaultOnTimeout(c.Reason).ToString(),
        c.Status,
        c.OpenedAt,
        c.Deadline,
        Math.Round((clock.GetUtcNow() - c.OpenedAt).TotalHours, 2),
        c.Resolution?.ToString(),
        c.DecidedBy,
        c.DecidedAt,
        c.Comment,
        c.AlertError,
        c.AlertError is null ? null : c.AlertFailedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: case {CaseId} resolved {Resolution} by an operator: {Outcome}")]
    private partial void LogResolved(string orderId, string caseId, string resolution, string outcome);
}
