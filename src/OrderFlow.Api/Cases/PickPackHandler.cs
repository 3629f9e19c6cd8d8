using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Handlers;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Cases;

/// <summary>
/// The console's pick-and-pack page of an own warehouse: its open pick lists oldest first (at most
/// <see cref="MaxListed"/>), each with its lines and one form per answer: picked, shipped (with the label's tracking),
/// short (how many of each line) and reject (with a reason); stopped when the order's cancellation reached the
/// location. Every answer goes through the <see cref="FulfillmentEventProcessor"/> the signed callback uses, so the rules
/// and the dedupe are the same; the page's event ids are "console-{answer}", so a form posted twice is a duplicate.
/// Behind the console's sign-in, and its forms post back only from the same origin (<see cref="ConsoleHandler"/>).
/// </summary>
public sealed partial class PickPackHandler(
    ConsoleHandler console,
    IPickListStore picks,
    FulfillmentEventProcessor processor,
    IOptions<RoutingOptions> routing,
    TimeProvider clock,
    ILogger<PickPackHandler> logger)
{
    public const string PicksRoute = "console/locations/{location}/picks";
    public const string AnswerRoute = "console/locations/{location}/picks/{fulfillmentId}";

    /// <summary>Most pick lists one page shows; the rest wait behind them (oldest first).</summary>
    public const int MaxListed = 100;

    /// <summary>Longest reject reason kept.</summary>
    public const int MaxReasonChars = 500;

    public const string Picked = "picked";
    public const string Shipped = "shipped";
    public const string Short = "short";
    public const string Reject = "reject";
    public const string Stopped = "stopped";

    private static readonly string[] Answers = [Picked, Shipped, Short, Reject, Stopped];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IResult> ListAsync(string location, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!console.Authorized(request))
        {
            return Results.Redirect(ConsoleHandler.LoginPath);
        }

        if (NotOwnWarehouse(location) is { } notOwn)
        {
            return notOwn;
        }

        var (open, more) = await picks.ListOpenAsync(location, MaxListed, cancellationToken);
        var page = ConsoleHandler.Page($"Pick and pack at {location}");
        page.Paragraph(more
            ? $"The {MaxListed} oldest open pick lists; more are waiting behind them and show once these are closed."
            : $"{open.Count} open pick list(s), oldest first.");
        foreach (var pick in open)
        {
            page.Markup(PickBlock(pick));
        }

        return page;
    }

    public async Task<IResult> AnswerAsync(string location, string fulfillmentId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (console.RefuseFormPost(request) is { } refused)
        {
            return refused;
        }

        var form = await ConsoleHandler.ReadFormAsync(request, cancellationToken);
        var answer = form?["answer"].ToString() ?? string.Empty;
        if (!Answers.Contains(answer, StringComparer.Ordinal))
        {
            return ConsoleHandler.Message("Bad request", $"'answer' must be one of: {string.Join(", ", Answers)}.", StatusCodes.Status400BadRequest);
        }

        var pick = await picks.GetAsync(location, fulfillmentId, cancellationToken);
        if (pick is null)
        {
            return ConsoleHandler.Message("Not found", $"No pick list '{fulfillmentId}' at {location}.", StatusCodes.Status404NotFound);
        }

        if (!pick.IsOpen)
        {
            return WithBackLink(ConsoleHandler.Message("Already closed", $"{fulfillmentId} is {pick.Status}; nothing was changed.", StatusCodes.Status409Conflict), location);
        }

        var (evt, problem, status) = EventFor(answer, pick, form!);
        if (evt is null)
        {
            return WithBackLink(ConsoleHandler.Message(status == StatusCodes.Status400BadRequest ? "Bad request" : "Not accepted", problem!, status), location);
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(evt, Json);
        var outcome = await processor.ApplyAsync(
            fulfillmentId, body, l => string.Equals(l.Trim(), location.Trim(), StringComparison.OrdinalIgnoreCase), workflows, cancellationToken);
        LogAnswered(pick.OrderId, fulfillmentId, location, answer, outcome.StatusCode);
        var page = outcome switch
        {
            { Response.Status: DeliveryOutcomes.Duplicate } => ConsoleHandler.Message("Already recorded", $"{fulfillmentId}: '{answer}' was already recorded; nothing was changed.", StatusCodes.Status200OK),
            { Succeeded: true } => ConsoleHandler.Message("Recorded", $"{fulfillmentId}: {answer}. {Consequence(answer)}", StatusCodes.Status200OK),
            { StatusCode: StatusCodes.Status401Unauthorized } => ConsoleHandler.Message("Not found", $"{fulfillmentId} is not a fulfillment of {location}.", StatusCodes.Status404NotFound),
            _ => ConsoleHandler.Message("Not applied", outcome.Problem!, outcome.StatusCode),
        };
        return WithBackLink(page, location);
    }

    /// <summary>The console home's links to the pick-and-pack page of each own warehouse listed under Routing:Locations.</summary>
    internal static string LocationLinks(RoutingOptions? routing)
    {
        var own = (routing?.Locations ?? [])
            .Where(l => Enum.TryParse<FulfillmentMethod>(l.Method, ignoreCase: true, out var method) && method == FulfillmentMethod.OwnWarehouse && !string.IsNullOrWhiteSpace(l.Id))
            .Select(l => l.Id.Trim())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var html = new StringBuilder("<h2>Pick and pack</h2><p class=\"pick-locations\">");
        if (own.Count == 0)
        {
            html.Append("No own warehouse is listed under Routing:Locations; a location that is not listed picks at ")
                .Append(E($"{ConsoleHandler.BasePath}/locations/{{location}}/picks")).Append('.');
        }

        foreach (var id in own)
        {
            html.Append("<a href=\"").Append(E(PicksPath(id))).Append("\">").Append(E(id)).Append("</a> ");
        }

        return html.Append("</p>").ToString();
    }

    /// <summary>The event the answer stands for, or why the form cannot be one (400 malformed, 422 refused).</summary>
    private (FulfillmentConfirmationBody? Event, string? Problem, int Status) EventFor(string answer, PickListEntry pick, IFormCollection form)
    {
        var now = clock.GetUtcNow();
        var eventId = $"console-{answer}";
        switch (answer)
        {
            case Picked:
                return (new FulfillmentConfirmationBody(FulfillmentConfirmation.Picked, eventId, now), null, 0);
            case Shipped:
                var tracking = form["tracking"].ToString().Trim();
                if (pick.TrackingNumber is { } label && !string.Equals(tracking, label, StringComparison.Ordinal))
                {
                    return (null, $"Tracking number '{tracking}' is not the one of the label bought for {pick.FulfillmentId} ('{label}'): the customer is emailed the label's tracking, so ship the parcel with that label.", StatusCodes.Status422UnprocessableEntity);
                }

                return (new FulfillmentConfirmationBody(FulfillmentConfirmation.Shipped, eventId, now), null, 0);
            case Short:
                var lines = new List<FulfillmentLine>();
                for (var i = 0; i < pick.Lines.Count; i++)
                {
                    var text = form[$"short{i}"].ToString().Trim();
                    if (text.Length == 0)
                    {
                        continue;
                    }

                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var quantity) || quantity > pick.Lines[i].Quantity)
                    {
                        return (null, $"'short{i}' ({pick.Lines[i].Sku}) must be a whole number from 0 to {pick.Lines[i].Quantity}.", StatusCodes.Status400BadRequest);
                    }

                    if (quantity > 0)
                    {
                        lines.Add(new FulfillmentLine(pick.Lines[i].Sku, quantity));
                    }
                }

                return lines.Count == 0
                    ? (null, "Short needs at least one line with a quantity above 0: how many of it could not be packed.", StatusCodes.Status422UnprocessableEntity)
                    : (new FulfillmentConfirmationBody(FulfillmentConfirmation.Short, eventId, now, ShortLines: lines), null, 0);
            case Reject:
                var reason = form["reason"].ToString().Trim();
                return reason.Length == 0
                    ? (null, "Reject needs a reason.", StatusCodes.Status400BadRequest)
                    : (new FulfillmentConfirmationBody(FulfillmentConfirmation.Rejected, eventId, now, reason[..Math.Min(reason.Length, MaxReasonChars)]), null, 0);
            default:
                return pick.CancelRequested
                    ? (new FulfillmentConfirmationBody(FulfillmentConfirmation.Cancelled, eventId, now), null, 0)
                    : (null, $"{pick.FulfillmentId} was not asked to stop: its order was not cancelled.", StatusCodes.Status409Conflict);
        }
    }

    private static string Consequence(string answer) => answer switch
    {
        Picked => "It stays on the list until it is shipped.",
        Shipped => "The order's workflow continues: the customer is emailed the tracking.",
        Short => "What was packed ships; the short units go back to routing.",
        Reject => "The order's workflow routes it elsewhere.",
        _ => "The order's workflow continues with its cancellation.",
    };

    /// <summary>A 404 page when Routing:Locations lists the location with another Method; null for an own (or unlisted) warehouse.</summary>
    private HtmlPage? NotOwnWarehouse(string location)
    {
        var listed = routing.Value.Find(location.Trim());
        return listed is null || listed.Method == FulfillmentMethod.OwnWarehouse
            ? null
            : ConsoleHandler.Message("Not found", $"{location} is not an own warehouse (Routing:Locations Method {listed.Method}): it has no pick lists here.", StatusCodes.Status404NotFound);
    }

    private static HtmlPage WithBackLink(HtmlPage page, string location) =>
        page.Markup($"<p><a href=\"{E(PicksPath(location))}\">Pick lists of {E(location)}</a></p>");

    private static string E(string? value) => HtmlPage.Encode(value);

    internal static string PicksPath(string location) => $"{ConsoleHandler.BasePath}/locations/{Uri.EscapeDataString(location)}/picks";

    private static string AnswerPath(PickListEntry pick) => $"{PicksPath(pick.Location)}/{Uri.EscapeDataString(pick.FulfillmentId)}";

    /// <summary>One pick list: what to pack and one form per answer.</summary>
    private static string PickBlock(PickListEntry pick)
    {
        var html = new StringBuilder("<div class=\"pick\" data-pick=\"").Append(E(pick.FulfillmentId)).Append("\"><h3>").Append(E(pick.FulfillmentId)).AppendLine("</h3><table>")
            .Append("<tr><td>Order</td><td><a href=\"").Append(E(ConsoleHandler.OrderPath(pick.OrderId))).Append("\">").Append(E(pick.OrderId)).AppendLine("</a></td></tr>")
            .Append("<tr><td>Handed off</td><td>").Append(E(pick.HandedOffAt.ToString("u", CultureInfo.InvariantCulture))).AppendLine("</td></tr>")
            .Append("<tr><td>Status</td><td>").Append(E(pick.Status)).AppendLine("</td></tr>")
            .Append("<tr><td>Label tracking</td><td>").Append(E(pick.TrackingNumber ?? "none")).AppendLine("</td></tr>");
        if (pick.CancelRequested)
        {
            html.Append("<tr class=\"cancel-requested\"><td>Cancelled</td><td>The order was cancelled (").Append(E(pick.CancelReason))
                .AppendLine("): stop if it has not left, else ship it.</td></tr>");
        }

        // No bin is known yet: the SKU is where to look.
        html.AppendLine("</table><table><tr><th>bin / SKU</th><th>qty</th></tr>");
        foreach (var line in pick.Lines)
        {
            html.Append("<tr><td>").Append(E(line.Sku)).Append("</td><td>").Append(line.Quantity.ToString(CultureInfo.InvariantCulture)).AppendLine("</td></tr>");
        }

        html.AppendLine("</table>");
        if (pick.Status == PickListEntry.Open)
        {
            html.Append(FormStart(pick, Picked)).AppendLine("<button type=\"submit\">Picked</button></form>");
        }

        html.Append(FormStart(pick, Shipped)).Append("<label>Tracking <input type=\"text\" name=\"tracking\" maxlength=\"100\" value=\"")
            .Append(E(pick.TrackingNumber)).AppendLine("\"></label> <button type=\"submit\">Shipped</button></form>");

        html.Append(FormStart(pick, Short));
        for (var i = 0; i < pick.Lines.Count; i++)
        {
            html.Append("<label>").Append(E(pick.Lines[i].Sku)).Append(" short <input type=\"number\" name=\"short").Append(i.ToString(CultureInfo.InvariantCulture))
                .Append("\" min=\"0\" max=\"").Append(pick.Lines[i].Quantity.ToString(CultureInfo.InvariantCulture)).Append("\" value=\"0\"></label> ");
        }

        html.AppendLine("<button type=\"submit\">Short</button></form>");
        html.Append(FormStart(pick, Reject)).Append("<input type=\"text\" name=\"reason\" maxlength=\"").Append(MaxReasonChars.ToString(CultureInfo.InvariantCulture))
            .AppendLine("\" placeholder=\"reason\" size=\"40\" required> <button type=\"submit\">Reject</button></form>");
        if (pick.CancelRequested)
        {
            html.Append(FormStart(pick, Stopped)).AppendLine("<button type=\"submit\">Stopped</button></form>");
        }

        return html.Append("</div><hr>").ToString();
    }

    private static string FormStart(PickListEntry pick, string answer) =>
        $"<form method=\"post\" action=\"{E(AnswerPath(pick))}\" data-answer=\"{answer}\"><input type=\"hidden\" name=\"answer\" value=\"{answer}\">";

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: fulfillment {FulfillmentId} answered {Answer} on the pick-and-pack page of {Location}: {StatusCode}")]
    private partial void LogAnswered(string orderId, string fulfillmentId, string location, string answer, int statusCode);

    /// <summary>The JSON a location would post to the signed callback, as the page's forms make it.</summary>
    private sealed record FulfillmentConfirmationBody(
        string Status, string EventId, DateTimeOffset OccurredAt, string? Reason = null, IReadOnlyList<FulfillmentLine>? ShortLines = null);
}
