using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace OrderFlow.Api.Cases;

/// <summary>
/// A small server-rendered HTML page. Every dynamic value goes through <see cref="Encode"/>; the page carries no
/// script, is never cached, never sends the token on as a Referer, and may only post back to itself.
/// </summary>
public sealed class HtmlPage(string title, int statusCode) : IResult, IStatusCodeHttpResult
{
    private readonly StringBuilder body = new();

    public int StatusCode => statusCode;

    int? IStatusCodeHttpResult.StatusCode => statusCode;

    /// <summary>The Referrer-Policy header; the operations console uses "same-origin" so its forms carry their Origin.</summary>
    public string ReferrerPolicy { get; init; } = "no-referrer";

    /// <summary>Widens the page (console tables).</summary>
    public bool Wide { get; init; }

    public string Html => new StringBuilder()
        .AppendLine("<!DOCTYPE html>")
        .Append("<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\"><meta name=\"viewport\" content=\"width=device-width\"><title>")
        .Append(Encode(title)).AppendLine("</title>")
        .Append("<style>body{font-family:Arial,Helvetica,sans-serif;max-width:").Append(Wide ? "1200px" : "680px")
        .AppendLine(";margin:24px auto;padding:0 12px;color:#222}td{padding:4px 16px 4px 0;vertical-align:top}.note{padding:12px;background:#f3f4f6}button{font-size:16px;padding:8px 20px}</style>")
        .AppendLine("</head><body>")
        .Append("<h1>").Append(Encode(title)).AppendLine("</h1>")
        .Append(body)
        .AppendLine("</body></html>")
        .ToString();

    public static string Encode(string? value) => WebUtility.HtmlEncode(value ?? string.Empty);

    public HtmlPage Paragraph(string text, string? cssClass = null)
    {
        body.Append(cssClass is null ? "<p>" : $"<p class=\"{cssClass}\">").Append(Encode(text)).AppendLine("</p>");
        return this;
    }

    /// <summary>
    /// Appends markup built by the caller. Only for fragments whose every dynamic value already went through
    /// <see cref="Encode"/> (the console's tables and forms).
    /// </summary>
    public HtmlPage Markup(string encodedHtml)
    {
        body.AppendLine(encodedHtml);
        return this;
    }

    public HtmlPage Heading(string text)
    {
        body.Append("<h2>").Append(Encode(text)).AppendLine("</h2>");
        return this;
    }

    public HtmlPage Rows(IEnumerable<(string Label, string Value)> rows)
    {
        body.AppendLine("<table>");
        foreach (var (label, value) in rows)
        {
            body.Append("<tr><td>").Append(Encode(label)).Append("</td><td>").Append(Encode(value)).AppendLine("</td></tr>");
        }

        body.AppendLine("</table>");
        return this;
    }

    /// <summary>A confirmation form posting back to this very URL (no action attribute), with hidden binding fields.</summary>
    public HtmlPage ConfirmForm(string buttonText, IEnumerable<(string Name, string Value)> hidden)
    {
        body.AppendLine("<form method=\"post\">");
        foreach (var (name, value) in hidden)
        {
            body.Append("<input type=\"hidden\" name=\"").Append(Encode(name)).Append("\" value=\"").Append(Encode(value)).AppendLine("\">");
        }

        body.AppendLine("<p><label for=\"comment\">Comment (optional)</label><br><textarea id=\"comment\" name=\"comment\" rows=\"3\" cols=\"60\" maxlength=\"2000\"></textarea></p>");
        body.Append("<p><button type=\"submit\">").Append(Encode(buttonText)).AppendLine("</button></p>");
        body.AppendLine("</form>");
        return this;
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = ReferrerPolicy;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["X-Frame-Options"] = "DENY";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        await response.WriteAsync(Html, Encoding.UTF8, httpContext.RequestAborted);
    }
}
