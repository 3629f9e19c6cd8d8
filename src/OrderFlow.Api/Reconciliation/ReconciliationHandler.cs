using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Cases;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Api.Reconciliation;

/// <summary>
/// Reconciliation runs for operators (X-Operator-Key): start one for a date range, read its report as JSON or CSV, and
/// the console page of a report (operator key or console session). The first run of a range has the instance id
/// "reconcile-{from}-{to}" (the scheduled daily run uses the same id, so it starts at most once); an on-demand re-run
/// of a finished range gets "-2", "-3", ... and a range whose latest run is still going answers 409.
/// </summary>
public sealed partial class ReconciliationHandler(
    IReconciliationReportStore reports,
    ConsoleHandler console,
    IOptions<OperationsOptions> operations,
    IOptions<WorkflowOptions> workflow,
    TimeProvider clock,
    ILogger<ReconciliationHandler> logger)
{
    public const string StartRoute = "reconciliations";
    public const string ReportRoute = "reconciliations/{reportId}";
    public const string CsvRoute = "reconciliations/{reportId}/csv";
    public const string ConsoleRoute = "console/reconciliations/{reportId}";
    public const string ConsoleCsvRoute = "console/reconciliations/{reportId}/csv";

    /// <summary>The longest range one request may cover (a run reconciles at most <see cref="ReconciliationOrchestrator.MaxOrders"/> orders).</summary>
    public const int MaxRangeDays = 31;

    /// <summary>Runs of one range (the first and its re-runs).</summary>
    public const int MaxRunsPerRange = 50;

    private const int MaxBodyBytes = 4 * 1024;

    public async Task<IResult> StartAsync(HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(workflows);
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        var body = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return RequestBody.TooLarge(MaxBodyBytes);
        }

        ReconciliationStartRequest? start;
        try
        {
            start = JsonSerializer.Deserialize<ReconciliationStartRequest>(body, IntegrationJson.Options);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"Body is not valid JSON: {ex.Message}");
        }

        if (start?.From is not { } from || start.To is not { } to)
        {
            return Problems.BadRequest("Body must have \"from\" and \"to\" as UTC calendar days, e.g. {\"from\":\"2026-11-25\",\"to\":\"2026-11-25\"}.");
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (to < from || to.DayNumber - from.DayNumber >= MaxRangeDays || to > today)
        {
            return Problems.Unprocessable($"\"from\" ({from:yyyy-MM-dd}) must not be after \"to\" ({to:yyyy-MM-dd}), the range at most {MaxRangeDays} days, and \"to\" not after today ({today:yyyy-MM-dd}, UTC).");
        }

        var input = new ReconciliationRequest(from, to, workflow.Value.ToSettings());
        var first = ReconciliationRequest.InstanceIdFor(from, to);
        for (var run = 1; run <= MaxRunsPerRange; run++)
        {
            var reportId = run == 1 ? first : $"{first}-{run.ToString(CultureInfo.InvariantCulture)}";
            var status = await workflows.GetStatusAsync(reportId, cancellationToken);
            if (status is not null && !status.IsTerminal)
            {
                return Problems.Conflict($"Reconciliation {reportId} of this range is still {status.RuntimeStatus}; its report will be at {ReportUrl(reportId)}.");
            }

            if (status is not null)
            {
                continue;
            }

            if (!await workflows.StartAsync(nameof(ReconciliationOrchestrator), reportId, input, cancellationToken))
            {
                return Problems.Conflict($"Reconciliation {reportId} of this range was started by another request just now.");
            }

            LogStarted(reportId);
            return Results.Json(View(reportId, "Started"), IntegrationJson.Options, statusCode: StatusCodes.Status202Accepted);
        }

        return Problems.Conflict($"This range has been reconciled {MaxRunsPerRange} times; reconcile a different range.");
    }

    public async Task<IResult> GetAsync(string reportId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        var (report, pending) = await FindAsync(reportId, workflows, cancellationToken);
        return report is not null ? Results.Json(report, IntegrationJson.Options) : pending;
    }

    public async Task<IResult> CsvAsync(string reportId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (!OperatorKey.Authorized(request, operations.Value))
        {
            return OperatorKey.Unauthorized();
        }

        var (report, pending) = await FindAsync(reportId, workflows, cancellationToken);
        return report is not null ? Csv(report) : pending;
    }

    /// <summary>The console page of a report: counts, totals per kind, every mismatch with its case, every skipped order.</summary>
    public async Task<IResult> ConsolePageAsync(string reportId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        if (!console.Authorized(request))
        {
            return Results.Redirect(ConsoleHandler.LoginPath);
        }

        var report = await reports.GetAsync(reportId, cancellationToken);
        if (report is null)
        {
            var status = await workflows.GetStatusAsync(reportId, cancellationToken);
            return status is null
                ? ConsoleHandler.Message("Not found", $"No reconciliation '{reportId}'.", StatusCodes.Status404NotFound)
                : ConsoleHandler.Message("Not ready", $"Reconciliation {reportId} is {status.RuntimeStatus}; its report is not stored yet.", StatusCodes.Status202Accepted);
        }

        return Page(report);
    }

    public async Task<IResult> ConsoleCsvAsync(string reportId, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!console.Authorized(request))
        {
            return Results.Redirect(ConsoleHandler.LoginPath);
        }

        var report = await reports.GetAsync(reportId, cancellationToken);
        return report is null ? ConsoleHandler.Message("Not found", $"No reconciliation report '{reportId}'.", StatusCodes.Status404NotFound) : Csv(report);
    }

    public static string ReportUrl(string reportId) => $"/{ApiRoutes.Prefix}/reconciliations/{Uri.EscapeDataString(reportId)}";

    private static string ConsoleUrl(string reportId) => $"{ConsoleHandler.BasePath}/reconciliations/{Uri.EscapeDataString(reportId)}";

    private static ReconciliationRunView View(string reportId, string status) =>
        new(reportId, status, ReportUrl(reportId), ReportUrl(reportId) + "/csv", ConsoleUrl(reportId));

    /// <summary>The stored report; otherwise 202 while its run is going, 404 when there is no such run.</summary>
    private async Task<(ReconciliationReport? Report, IResult Pending)> FindAsync(string reportId, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var report = await reports.GetAsync(reportId, cancellationToken);
        if (report is not null)
        {
            return (report, Results.Empty);
        }

        var status = reportId.StartsWith(ReconciliationRequest.InstancePrefix, StringComparison.Ordinal)
            ? await workflows.GetStatusAsync(reportId, cancellationToken)
            : null;
        if (status is null)
        {
            return (null, Problems.NotFound($"No reconciliation '{reportId}'."));
        }

        return status.IsTerminal
            ? (null, Problems.NotFound($"Reconciliation {reportId} ended {status.RuntimeStatus} without a report."))
            : (null, Results.Json(View(reportId, status.RuntimeStatus), IntegrationJson.Options, statusCode: StatusCodes.Status202Accepted));
    }

    private static IResult Csv(ReconciliationReport report) =>
        new CsvResult(ReconciliationCsv.Write(report), $"{report.ReportId}.csv");

    private static HtmlPage Page(ReconciliationReport report)
    {
        static string E(string? value) => HtmlPage.Encode(value);
        var page = ConsoleHandler.Page($"Reconciliation {report.ReportId}");
        page.Rows([
            ("Range", $"{report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd} (UTC days, both included)"),
            ("Generated", report.GeneratedAt.ToString("u", CultureInfo.InvariantCulture)),
            ("Orders checked", N(report.OrdersChecked)),
            ("Matched", N(report.Matched)),
            ("Mismatched", N(report.Mismatched)),
            ("Skipped", N(report.Skipped)),
        ]);
        if (report.Truncated)
        {
            page.Paragraph($"The range held more than {ReconciliationOrchestrator.MaxOrders} orders; only the first were reconciled. Reconcile smaller ranges for the rest.", "note");
        }

        page.Markup($"<p><a href=\"{E(ConsoleUrl(report.ReportId))}/csv\">Download CSV</a></p>");

        var totals = new StringBuilder("<table><tr><th>category</th><th>currency</th><th>count</th><th>expected</th><th>actual</th></tr>");
        foreach (var t in report.Totals)
        {
            totals.Append("<tr><td>").Append(E(t.Category)).Append("</td><td>").Append(E(t.Currency)).Append("</td><td>").Append(N(t.Count))
                .Append("</td><td>").Append(E(Domain.Common.Currencies.Format(t.ExpectedMinorUnits, t.Currency)))
                .Append("</td><td>").Append(E(Domain.Common.Currencies.Format(t.ActualMinorUnits, t.Currency))).Append("</td></tr>");
        }

        page.Heading("Totals").Markup(totals.Append("</table>").ToString());

        var lines = new StringBuilder("<table><tr><th>order</th><th>kind</th><th>compared</th><th>expected</th><th>actual</th><th>why</th><th>case</th></tr>");
        foreach (var m in report.Mismatches)
        {
            lines.Append("<tr data-kind=\"").Append(E(m.Kind.ToString())).Append("\"><td><a href=\"").Append(E(ConsoleHandler.OrderPath(m.OrderId))).Append("\">").Append(E(m.OrderId))
                .Append("</a></td><td>").Append(E(m.Kind.ToString())).Append("</td><td>").Append(E(m.Subject))
                .Append("</td><td>").Append(E(m.Expected.ToString())).Append("</td><td>").Append(E(m.Actual.ToString()))
                .Append("</td><td>").Append(E(m.Explanation)).Append("</td><td>").Append(E(m.CaseId)).Append("</td></tr>");
        }

        page.Heading($"Mismatches ({report.Mismatches.Count})").Markup(lines.Append("</table>").ToString());

        var skips = new StringBuilder("<table><tr><th>order</th><th>why not reconciled</th></tr>");
        foreach (var s in report.Skips)
        {
            skips.Append("<tr><td><a href=\"").Append(E(ConsoleHandler.OrderPath(s.OrderId))).Append("\">").Append(E(s.OrderId))
                .Append("</a></td><td>").Append(E(s.Reason)).Append("</td></tr>");
        }

        page.Heading($"Skipped ({report.Skips.Count})").Markup(skips.Append("</table>").ToString());
        return page;
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation {ReportId} started by an operator")]
    private partial void LogStarted(string reportId);

    /// <summary>A CSV download (UTF-8, attachment, never cached).</summary>
    public sealed class CsvResult(string csv, string fileName) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
    {
        public string Csv => csv;

        public int? StatusCode => StatusCodes.Status200OK;

        public string ContentType => "text/csv; charset=utf-8";

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ContentType;
            response.Headers.CacheControl = "no-store";
            response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            response.Headers["X-Content-Type-Options"] = "nosniff";
            await response.WriteAsync(csv, Encoding.UTF8, httpContext.RequestAborted);
        }
    }
}
