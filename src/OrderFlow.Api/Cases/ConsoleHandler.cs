using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Cases;

/// <summary>
/// The operations console: server-rendered HTML pages (no script; every value HTML-encoded) behind the operator key.
/// A browser logs in once through a form; the session cookie holds an expiring HMAC made with the key, never the key.
/// API clients may send X-Operator-Key instead. Forms post back only from the same origin (Origin or Referer checked)
/// and the cookie is SameSite=Strict, so another site cannot make an operator's browser resolve a case.
/// </summary>
public sealed partial class ConsoleHandler(
    ICaseReader cases,
    CaseDecisionService decisions,
    IOrderStore orders,
    InventoryHandler inventory,
    IOptions<OperationsOptions> operations,
    TimeProvider clock,
    ILogger<ConsoleHandler> logger,
    IOptions<RoutingOptions>? routing = null)
{
    public const string HomeRoute = "console";
    public const string LoginRoute = "console/login";
    public const string LogoutRoute = "console/logout";
    public const string ResolveRoute = "console/cases/{caseId}/resolve";
    public const string OrderRoute = "console/orders/{orderId}";
    public const string InventoryRoute = "console/inventory/{sku}";
    public const string CookieName = "orderflow_console";

    internal const string BasePath = "/" + ApiRoutes.Prefix + "/console";
    internal const string LoginPath = BasePath + "/login";
    internal const string LogoutPath = BasePath + "/logout";
    private const int MaxCommentChars = 4000;
    private static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    // ---- login ----------------------------------------------------------------------------------------------------

    public async Task<IResult> ResolveAsync(string caseId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (RefuseFormPost(request) is { } refused)
        {
            return refused;
        }

        var form = await ReadFormAsync(request, cancellationToken);
        var resolutionText = form?["resolution"].ToString() ?? string.Empty;
        if (!Enum.TryParse<CaseResolution>(resolutionText, ignoreCase: false, out var resolution) || !Enum.IsDefined(resolution)
            || int.TryParse(resolutionText, out _))
        {
            return Message("Bad request", $"'resolution' must be one of: {string.Join(", ", Enum.GetNames<CaseResolution>())}.", StatusCodes.Status400BadRequest);
        }

        var exceptionCase = await cases.GetAsync(caseId, cancellationToken);
        if (exceptionCase is null)
        {
            return Message("Not found", $"No case '{caseId}'.", StatusCodes.Status404NotFound);
        }

        var comment = form?["comment"].ToString().Trim();
        if (string.IsNullOrEmpty(comment))
        {
            comment = null;
        }
        else if (comment.Length > MaxCommentChars)
        {
            comment = comment[..MaxCommentChars];
        }

        var address = resolution == CaseResolution.CorrectAddress ? ConsoleCaseView.AddressFrom(form) : null;
        var outcome = await decisions.DecideAsync(exceptionCase, resolution, "operator:console", comment, workflows, cancellationToken, address);
        LogResolved(exceptionCase.OrderId, caseId, resolution.ToString(), outcome.ToString());
        var (title, text, status) = outcome switch
        {
            CaseDecisionOutcome.Resolved when exceptionCase.Reason == ExceptionReason.WorkflowFailed && resolution != CaseResolution.Approve =>
                ("Decision recorded", $"Case {caseId}: {resolution}. The order's workflow was restarted {(resolution == CaseResolution.Cancel ? "to cancel the order" : "from its recorded progress")}.", StatusCodes.Status200OK),
            CaseDecisionOutcome.Resolved when !exceptionCase.AwaitsWorkflow => ("Decision recorded", $"Case {caseId}: {resolution}, acknowledged. No workflow waits for this case.", StatusCodes.Status200OK),
            CaseDecisionOutcome.Resolved => ("Decision recorded", $"Case {caseId}: {resolution}. The order's workflow continues.", StatusCodes.Status200OK),
            CaseDecisionOutcome.WorkflowEnded => ("Decision recorded", $"Case {caseId}: {resolution}. The order's workflow had already ended.", StatusCodes.Status200OK),
            CaseDecisionOutcome.NotAllowed => ("Not allowed", $"'{resolution}' is not allowed for case {caseId}; allowed: {string.Join(", ", exceptionCase.AllowedResolutions)}.", StatusCodes.Status422UnprocessableEntity),
            CaseDecisionOutcome.AddressRequired => ("Address required", CaseDecisionService.AddressRequiredMessage, StatusCodes.Status422UnprocessableEntity),
            CaseDecisionOutcome.RestartRefused => ("Cannot restart", CaseDecisionService.RestartRefusedMessage, StatusCodes.Status409Conflict),
            CaseDecisionOutcome.DeadlinePassed => ("Too late", $"The deadline of case {caseId} has passed; its default policy applied.", StatusCodes.Status409Conflict),
            _ => ("Already decided", $"Case {caseId} is not open (status {exceptionCase.Status}).", StatusCodes.Status409Conflict),
        };
        var page = Message(title, text, status);
        if (exceptionCase.NamesAnOrder)
        {
            page.Markup($"<p><a href=\"{E(OrderPath(exceptionCase.OrderId))}\">Order {E(exceptionCase.OrderId)}</a></p>");
        }

        return page;
    }

    public async Task<IResult> OrderAsync(string orderId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        if (!Authorized(request))
        {
            return Results.Redirect(LoginPath);
        }

        var record = await orders.GetAsync(orderId, cancellationToken);
        var status = await workflows.GetStatusAsync(orderId, cancellationToken);
        if (record is null && status is null)
        {
            return Message("Not found", $"No order '{orderId}'.", StatusCodes.Status404NotFound);
        }

        var page = Page($"Order {orderId}");
        page.Rows([
            ("Status", record?.Status.ToString() ?? "Pending"),
            ("Order number", record?.Order.OrderNumber ?? ""),
            ("Total", record is null ? "" : record.Order.Totals.Total.ToString()),
            ("Workflow", status is null ? "unknown" : $"{status.RuntimeStatus} {status.CustomStatus?.Trim('"')}".Trim()),
        ]);

        if (record is not null)
        {
            var lines = new StringBuilder("<table><tr><th>line</th><th>SKU</th><th>title</th><th>qty</th><th>unit price</th></tr>");
            foreach (var l in record.Order.Lines)
            {
                lines.Append("<tr><td>").Append(E(l.LineId)).Append("</td><td><a href=\"").Append(E(InventoryPath(l.Sku))).Append("\">").Append(E(l.Sku))
                    .Append("</a></td><td>").Append(E(l.Title)).Append("</td><td>").Append(l.Quantity.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(E(l.UnitPrice.ToString())).Append("</td></tr>");
            }

            page.Heading("Lines").Markup(lines.Append("</table>").ToString());

            var fulfillments = new StringBuilder("<table><tr><th>fulfillment</th><th>location</th><th>status</th><th>carrier</th><th>tracking</th></tr>");
            foreach (var f in record.Fulfillments)
            {
                fulfillments.Append("<tr><td>").Append(E(f.FulfillmentId)).Append("</td><td>").Append(E(f.Location)).Append("</td><td>").Append(E(f.Status))
                    .Append("</td><td>").Append(E(f.Carrier)).Append("</td><td>").Append(E(f.TrackingNumber)).Append("</td></tr>");
            }

            page.Heading("Fulfillments").Markup(fulfillments.Append("</table>").ToString());

            var timeline = new StringBuilder("<table><tr><th>at</th><th>kind</th><th>what</th></tr>");
            foreach (var t in record.Timeline)
            {
                timeline.Append("<tr><td>").Append(E(t.At.ToString("u", CultureInfo.InvariantCulture))).Append("</td><td>").Append(E(t.Kind))
                    .Append("</td><td>").Append(E(t.Message)).Append("</td></tr>");
            }

            page.Heading("Timeline").Markup(timeline.Append("</table>").ToString());
        }

        var open = (await cases.ListOpenAsync(cancellationToken)).Where(c => c.OrderId == orderId).ToList();
        page.Heading($"Open cases ({open.Count})");
        var now = clock.GetUtcNow();
        foreach (var c in open)
        {
            page.Markup(ConsoleCaseView.Block(c, now));
        }

        return page;
    }

    public async Task<IResult> InventoryAsync(string sku, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (!Authorized(request))
        {
            return Results.Redirect(LoginPath);
        }

        var (known, view) = await inventory.ReadAsync(sku, workflows, cancellationToken);
        if (!known)
        {
            return Message("Not found", $"SKU '{sku}' is not in the catalog.", StatusCodes.Status404NotFound);
        }

        if (view is null)
        {
            return Message("Unavailable", $"The stock query for '{sku}' did not complete in time.", StatusCodes.Status503ServiceUnavailable);
        }

        var page = Page($"Stock of {sku}");
        page.Rows([("On hand", N(view.OnHand)), ("Reserved", N(view.Reserved)), ("Available", N(view.Available))]);
        var locations = new StringBuilder("<table><tr><th>location</th><th>on hand</th><th>reserved</th><th>available</th></tr>");
        foreach (var (location, stock) in view.Locations.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            locations.Append("<tr><td>").Append(E(location)).Append("</td><td>").Append(N(stock.OnHand)).Append("</td><td>").Append(N(stock.Reserved))
                .Append("</td><td>").Append(N(stock.Available)).Append("</td></tr>");
        }

        page.Heading("Per location").Markup(locations.Append("</table>").ToString());
        var holds = new StringBuilder("<table><tr><th>order</th><th>quantity</th><th>allocations</th><th>expires</th></tr>");
        foreach (var r in view.Reservations)
        {
            holds.Append("<tr><td><a href=\"").Append(E(OrderPath(r.OrderId))).Append("\">").Append(E(r.OrderId)).Append("</a></td><td>").Append(N(r.Quantity))
                .Append("</td><td>").Append(E(string.Join(", ", r.Allocations.Select(a => $"{a.Quantity} at {a.Location}"))))
                .Append("</td><td>").Append(E(r.ExpiresAt.ToString("u", CultureInfo.InvariantCulture))).Append("</td></tr>");
        }

        page.Heading($"Reservations ({view.Reservations.Count})").Markup(holds.Append("</table>").ToString());
        return page;
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static string E(string? value) => HtmlPage.Encode(value);

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string OrderPath(string orderId) => $"{BasePath}/orders/{Uri.EscapeDataString(orderId)}";

    internal static string InventoryPath(string sku) => $"{BasePath}/inventory/{Uri.EscapeDataString(sku)}";

    /// <summary>A console page: wide, same-origin referrer, with the link back to the open cases (other console pages use it too).</summary>
    internal static HtmlPage Page(string title, int status = StatusCodes.Status200OK)
    {
        var page = new HtmlPage(title, status) { ReferrerPolicy = "same-origin", Wide = true };
        page.Markup($"<form method=\"post\" action=\"{LogoutPath}\"><p><a href=\"{BasePath}\">Open cases</a> <a href=\"{BasePath}/reorder\">Reorder suggestions</a> <a href=\"{BasePath}/catalog\">Catalog</a> <button type=\"submit\">Sign out</button></p></form>");
        return page;
    }

    internal static HtmlPage Message(string title, string text, int status) => Page(title, status).Paragraph(text, "note");

    internal static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken) =>
        request.HasFormContentType ? await request.ReadFormAsync(cancellationToken) : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: case {CaseId} resolved {Resolution} in the console: {Outcome}")]
    private partial void LogResolved(string orderId, string caseId, string resolution, string outcome);

}
