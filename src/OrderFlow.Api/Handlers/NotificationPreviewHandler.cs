using Microsoft.AspNetCore.Http;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// GET /api/notifications/preview/{template}?format=html|text: a customer email template rendered with a sample order
/// and this store's branding, for operations to check wording and layout. Sample data only, no customer's.
/// </summary>
public sealed class NotificationPreviewHandler(ICustomerEmailPreviews previews)
{
    /// <summary>Route relative to the "api" prefix (both hosts).</summary>
    public const string Route = "notifications/preview/{template}";

    public const string Html = "html";
    public const string Text = "text";

    public IResult Get(string template, string? format)
    {
        var known = previews.TemplateNames;
        if (!known.Contains(template, StringComparer.Ordinal))
        {
            return Results.Problem(
                $"No email template '{template}'. Known templates: {string.Join(", ", known)}.",
                statusCode: StatusCodes.Status404NotFound,
                title: "Not found",
                extensions: new Dictionary<string, object?> { ["templates"] = known });
        }

        var kind = string.IsNullOrWhiteSpace(format) ? Html : format.Trim().ToLowerInvariant();
        if (kind is not (Html or Text))
        {
            return Problems.BadRequest($"format must be '{Html}' or '{Text}', not '{format}'.");
        }

        var content = previews.Render(template);
        return kind == Html
            ? Results.Content(content.HtmlBody, "text/html; charset=utf-8")
            : Results.Content($"Subject: {content.Subject}{Environment.NewLine}{Environment.NewLine}{content.TextBody}", "text/plain; charset=utf-8");
    }
}
