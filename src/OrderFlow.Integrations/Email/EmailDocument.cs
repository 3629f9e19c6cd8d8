using System.Net;
using System.Text;
using OrderFlow.Workflows.Notifications;

namespace OrderFlow.Integrations.Email;

/// <summary>
/// Writes the plain-text and HTML bodies of one email side by side so they never drift apart. Every dynamic value is
/// HTML-encoded here; links are emitted only for absolute http(s)/mailto URLs, anything else is shown as text.
/// </summary>
internal sealed class EmailDocument
{
    private readonly StringBuilder text = new();
    private readonly StringBuilder html = new();

    public EmailDocument Paragraph(string content)
    {
        text.AppendLine(content).AppendLine();
        html.Append("<p>").Append(Encode(content)).AppendLine("</p>");
        return this;
    }

    /// <summary>A paragraph ending in a link: "{before}{link}{after}".</summary>
    public EmailDocument ParagraphWithLink(string before, string linkText, string href, string after)
    {
        text.Append(before).Append(linkText).Append(after).AppendLine().AppendLine();
        html.Append("<p>").Append(Encode(before)).Append(Anchor(linkText, href)).Append(Encode(after)).AppendLine("</p>");
        return this;
    }

    public EmailDocument Heading(string content)
    {
        text.AppendLine(content).AppendLine(new string('-', content.Length));
        html.Append("<h2 style=\"font-size:16px;margin:24px 0 8px\">").Append(Encode(content)).AppendLine("</h2>");
        return this;
    }

    /// <summary>Rows of label and value (order lines, totals, tracking details).</summary>
    public EmailDocument Rows(IEnumerable<(string Label, string Value)> rows, bool emphasizeLast = false)
    {
        var list = rows.ToList();
        var width = list.Count == 0 ? 0 : list.Max(r => r.Label.Length);
        html.AppendLine("<table role=\"presentation\" cellpadding=\"4\" cellspacing=\"0\" style=\"border-collapse:collapse\">");
        for (var i = 0; i < list.Count; i++)
        {
            var (label, value) = list[i];
            text.Append("  ").Append(label.PadRight(width));
            if (value.Length > 0)
            {
                text.Append("  ").Append(value);
            }

            text.AppendLine();
            var weight = emphasizeLast && i == list.Count - 1 ? "font-weight:bold;" : string.Empty;
            html.Append("<tr><td style=\"").Append(weight).Append("padding-right:16px\">").Append(Encode(label))
                .Append("</td><td style=\"").Append(weight).Append("text-align:right\">").Append(Encode(value)).AppendLine("</td></tr>");
        }

        text.AppendLine();
        html.AppendLine("</table>");
        return this;
    }

    /// <summary>A call to action: "{label}: {url}" in text, a link in HTML.</summary>
    public EmailDocument Link(string label, string href)
    {
        text.Append(label).Append(": ").AppendLine(href).AppendLine();
        html.Append("<p>").Append(Anchor(label, href)).AppendLine("</p>");
        return this;
    }

    public EmailContent Build(string subject)
    {
        var page = new StringBuilder()
            .AppendLine("<!DOCTYPE html>")
            .AppendLine("<html><head><meta charset=\"utf-8\"><title>").Append(Encode(subject)).AppendLine("</title></head>")
            .AppendLine("<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;max-width:600px\">")
            .Append(html)
            .AppendLine("</body></html>");
        return new EmailContent(subject, text.ToString().TrimEnd() + Environment.NewLine, page.ToString());
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    private static string Anchor(string label, string href) =>
        IsSafeHref(href)
            ? $"<a href=\"{Encode(href)}\">{Encode(label)}</a>"
            : $"{Encode(label)} ({Encode(href)})";

    private static bool IsSafeHref(string href) =>
        Uri.TryCreate(href, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeMailto);
}
