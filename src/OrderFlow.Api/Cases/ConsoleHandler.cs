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
using OrderFlow.Integrations.Cases;
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

    public IResult GetLogin() => LoginPage(null, StatusCodes.Status200OK);

    public async Task<IResult> PostLoginAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!SameOrigin(request, required: false))
        {
            return Message("Refused", "The form was not posted from this site.", StatusCodes.Status403Forbidden);
        }

        var form = await ReadFormAsync(request, cancellationToken);
        var key = form?["key"].ToString() ?? string.Empty;
        if (!KeyMatches(key))
        {
            LogLoginRefused();
            return LoginPage("Wrong operator key.", StatusCodes.Status401Unauthorized);
        }

        var expires = clock.GetUtcNow() + SessionLifetime;
        return new CookieRedirect(BasePath, CookieName, SessionValue(expires.ToUnixTimeSeconds()), SessionCookie(request, expires));
    }

    /// <summary>
    /// Signs out: expires the session cookie in the browser and sends it to the sign-in form. Only from the console's own
    /// origin, so another site cannot sign an operator out.
    /// </summary>
    public IResult PostLogout(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!SameOrigin(request, required: true))
        {
            return Message("Refused", "The form was not posted from this site.", StatusCodes.Status403Forbidden);
        }

        return new CookieRedirect(LoginPath, CookieName, string.Empty, SessionCookie(request, DateTimeOffset.UnixEpoch));
    }

    /// <summary>
    /// HttpOnly, SameSite=Strict, scoped to the console; Secure when the request came over https (behind a TLS proxy the
    /// host's forwarded-headers middleware makes X-Forwarded-Proto count, from the configured proxies only).
    /// </summary>
    private static CookieOptions SessionCookie(HttpRequest request, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = BasePath,
        Expires = expires,
    };

    // ---- pages ----------------------------------------------------------------------------------------------------

    public async Task<IResult> HomeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!Authorized(request))
        {
            return Results.Redirect(LoginPath);
        }

        var open = await cases.ListOpenAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var page = Page("Operations console");
        page.Paragraph($"{open.Count} open case(s), oldest first.");
        if (open.Count > 0)
        {
            var counts = new StringBuilder("<table><tr><th>reason</th><th>open</th></tr>");
            foreach (var group in open.GroupBy(c => c.Reason.ToString(), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                counts.Append("<tr><td>").Append(E(group.Key)).Append("</td><td>").Append(group.Count()).Append("</td></tr>");
            }

            page.Heading("By reason").Markup(counts.Append("</table>").ToString());
        }

        page.Heading("Open cases");
        foreach (var c in open)
        {
            page.Markup(CaseBlock(c, now));
        }

        page.Markup(PickPackHandler.LocationLinks(routing?.Value));
        return page;
    }

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

        var address = resolution == CaseResolution.CorrectAddress ? AddressFrom(form) : null;
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
            page.Markup(CaseBlock(c, now));
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

    private static string ResolvePath(string caseId) => $"{BasePath}/cases/{Uri.EscapeDataString(caseId)}/resolve";

    /// <summary>A console page: wide, same-origin referrer, with the link back to the open cases (other console pages use it too).</summary>
    internal static HtmlPage Page(string title, int status = StatusCodes.Status200OK)
    {
        var page = new HtmlPage(title, status) { ReferrerPolicy = "same-origin", Wide = true };
        page.Markup($"<form method=\"post\" action=\"{LogoutPath}\"><p><a href=\"{BasePath}\">Open cases</a> <a href=\"{BasePath}/reorder\">Reorder suggestions</a> <a href=\"{BasePath}/catalog\">Catalog</a> <button type=\"submit\">Sign out</button></p></form>");
        return page;
    }

    internal static HtmlPage Message(string title, string text, int status) => Page(title, status).Paragraph(text, "note");

    private static HtmlPage LoginPage(string? error, int status)
    {
        var page = new HtmlPage("Operations console: sign in", status) { ReferrerPolicy = "same-origin" };
        if (error is not null)
        {
            page.Paragraph(error, "note");
        }

        return page.Markup(
            $"<form method=\"post\" action=\"{LoginPath}\"><p><label for=\"key\">Operator key</label><br>" +
            "<input type=\"password\" id=\"key\" name=\"key\" autocomplete=\"current-password\" size=\"50\" required></p>" +
            "<p><button type=\"submit\">Sign in</button></p></form>");
    }

    /// <summary>
    /// One case: its context and one button per allowed resolution (RetryStep reads "Retry step"; on a WorkflowFailed
    /// case, whose decision restarts the ended workflow, "Restart from failed step", "Cancel order" and "Acknowledge").
    /// </summary>
    private static string CaseBlock(ExceptionCase c, DateTimeOffset now)
    {
        var age = now - c.OpenedAt;
        var html = new StringBuilder("<div class=\"case\" data-case=\"").Append(E(c.CaseId)).Append("\"><h3>").Append(E(c.CaseId)).AppendLine("</h3><table>");
        foreach (var (label, value) in new[]
                 {
                     ("Reason", c.Reason.ToString()),
                     ("Step", c.Step),
                     ("Error", c.Error),
                     ("Age", $"{Math.Floor(age.TotalHours).ToString(CultureInfo.InvariantCulture)} h {age.Minutes.ToString(CultureInfo.InvariantCulture)} min"),
                     ("Opened", c.OpenedAt.ToString("u", CultureInfo.InvariantCulture)),
                     ("Deadline", c.AwaitsWorkflow
                         ? $"{c.Deadline.ToString("u", CultureInfo.InvariantCulture)} (then {CasePolicy.DefaultOnTimeout(c.Reason)})"
                         : $"{c.Deadline.ToString("u", CultureInfo.InvariantCulture)} (no workflow waits: nothing is applied, it stays open until acknowledged)"),
                 })
        {
            html.Append("<tr><td>").Append(E(label)).Append("</td><td>").Append(E(value)).AppendLine("</td></tr>");
        }

        if (c.AlertError is not null)
        {
            // Nobody was told about this case: the queue is the only place it shows.
            html.Append("<tr class=\"alert-failed\"><td>Alert failed</td><td>").Append(E(c.AlertError)).AppendLine("</td></tr>");
        }

        if (c.NamesAnOrder)
        {
            html.Append("<tr><td>Order</td><td><a href=\"").Append(E(OrderPath(c.OrderId))).Append("\">").Append(E(c.OrderId)).AppendLine("</a></td></tr></table>");
        }
        else
        {
            // A rejected intake made no order: the case names the delivery (its error says where the payload is kept),
            // a channel sync failure the channel.
            html.Append("<tr><td>").Append(E(c.Subject)).Append("</td><td>").Append(E(c.OrderId)).AppendLine("</td></tr></table>");
        }
        foreach (var resolution in c.AllowedResolutions)
        {
            var restarts = c.Reason == ExceptionReason.WorkflowFailed;
            var label = resolution switch
            {
                CaseResolution.RetryStep when restarts => "Restart from failed step",
                CaseResolution.Cancel when restarts => "Cancel order",
                CaseResolution.Approve when restarts => "Acknowledge",
                CaseResolution.RetryStep => "Retry step",
                CaseResolution.CorrectAddress => "Correct address",
                _ => resolution.ToString(),
            };
            html.Append("<form method=\"post\" action=\"").Append(E(ResolvePath(c.CaseId))).Append("\" data-resolution=\"").Append(E(resolution.ToString())).Append("\">")
                .Append("<input type=\"hidden\" name=\"resolution\" value=\"").Append(E(resolution.ToString())).Append("\">");
            if (resolution == CaseResolution.CorrectAddress)
            {
                foreach (var (name, text, required) in AddressFields)
                {
                    html.Append("<label>").Append(E(text)).Append(" <input type=\"text\" name=\"").Append(E(name)).Append("\" maxlength=\"200\"")
                        .Append(required ? " required" : string.Empty).Append("></label> ");
                }

                html.Append("<br>");
            }

            html
                .Append("<input type=\"text\" name=\"comment\" maxlength=\"2000\" placeholder=\"comment (optional)\" size=\"40\"> ")
                .Append("<button type=\"submit\">").Append(E(label)).AppendLine("</button></form>");
        }

        return html.Append("</div><hr>").ToString();
    }

    /// <summary>The corrected-address form fields: name, label, required.</summary>
    private static readonly (string Name, string Label, bool Required)[] AddressFields =
    [
        ("name", "Name", true),
        ("line1", "Line 1", true),
        ("line2", "Line 2", false),
        ("city", "City", true),
        ("province", "Province", false),
        ("postalCode", "Postal code", true),
        ("countryCode", "Country code", true),
        ("phone", "Phone", false),
    ];

    /// <summary>The corrected address posted with CorrectAddress; null when a required field is missing.</summary>
    private static Address? AddressFrom(IFormCollection? form)
    {
        if (form is null)
        {
            return null;
        }

        string? Field(string name)
        {
            var value = form[name].ToString().Trim();
            return value.Length == 0 ? null : value[..Math.Min(value.Length, 200)];
        }

        var address = new Address(
            Field("name") ?? string.Empty,
            Field("line1") ?? string.Empty,
            Field("line2"),
            Field("city") ?? string.Empty,
            Field("province"),
            Field("postalCode") ?? string.Empty,
            Field("countryCode")?.ToUpperInvariant() ?? string.Empty,
            Field("phone"));
        return CaseDecisionService.IsComplete(address) ? address : null;
    }

    internal static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken) =>
        request.HasFormContentType ? await request.ReadFormAsync(cancellationToken) : null;

    /// <summary>
    /// The answer refusing a console form post that is not signed in (401) or, cookie-authenticated, not from this
    /// console's origin (403); null when the post may proceed.
    /// </summary>
    internal HtmlPage? RefuseFormPost(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Authorized(request))
        {
            return Message("Not signed in", "Sign in to the console first.", StatusCodes.Status401Unauthorized);
        }

        // A header-authenticated client cannot be a forged cross-site form; a cookie-authenticated post must be same-origin.
        return !HasKeyHeader(request) && !SameOrigin(request, required: true)
            ? Message("Refused", "The form was not posted from this console.", StatusCodes.Status403Forbidden)
            : null;
    }

    /// <summary>
    /// The post comes from this very site: its Origin (or, without one, its Referer) names this request's scheme and host
    /// (an http page of the same host is another origin).
    /// Without either header the post passes only when <paramref name="required"/> is false.
    /// </summary>
    private static bool SameOrigin(HttpRequest request, bool required)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            origin = request.Headers.Referer.ToString();
        }

        if (string.IsNullOrEmpty(origin))
        {
            return !required;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static bool HasKeyHeader(HttpRequest request) => !string.IsNullOrEmpty(request.Headers[CasesHandler.KeyHeader].ToString());

    /// <summary>The X-Operator-Key header, or else an unexpired session cookie made with the key.</summary>
    internal bool Authorized(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HasKeyHeader(request))
        {
            return KeyMatches(request.Headers[CasesHandler.KeyHeader].ToString());
        }

        var cookie = request.Cookies[CookieName];
        if (string.IsNullOrEmpty(cookie) || string.IsNullOrEmpty(operations.Value.OperatorKey))
        {
            return false;
        }

        var dot = cookie.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(cookie.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires <= clock.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(SessionValue(expires)));
    }

    private bool KeyMatches(string provided) => OperatorKey.Matches(provided, operations.Value);

    /// <summary>"expiry.HMAC-SHA256(operator key, 'orderflow-console|expiry')": proves the key was presented, does not contain it.</summary>
    private string SessionValue(long expiresUnixSeconds)
    {
        var expires = expiresUnixSeconds.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(operations.Value.OperatorKey), Encoding.UTF8.GetBytes("orderflow-console|" + expires));
        return expires + "." + Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: case {CaseId} resolved {Resolution} in the console: {Outcome}")]
    private partial void LogResolved(string orderId, string caseId, string resolution, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console sign-in refused: wrong operator key")]
    private partial void LogLoginRefused();

    /// <summary>Sets the session cookie and sends the browser on with 303 See Other.</summary>
    public sealed class CookieRedirect(string location, string name, string value, CookieOptions options) : IResult
    {
        public string Location => location;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.Cookies.Append(name, value, options);
            httpContext.Response.Headers.CacheControl = "no-store";
            httpContext.Response.Redirect(location);
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            return Task.CompletedTask;
        }
    }
}
