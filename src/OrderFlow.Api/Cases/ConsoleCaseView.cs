using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Api.Cases;

/// <summary>How the console shows one case: its context, one form per allowed resolution, and the corrected-address fields.</summary>
internal static class ConsoleCaseView
{
    private static string E(string? value) => HtmlPage.Encode(value);

    private static string ResolvePath(string caseId) => $"{ConsoleHandler.BasePath}/cases/{Uri.EscapeDataString(caseId)}/resolve";

    /// <summary>
    /// One case: its context and one button per allowed resolution (RetryStep reads "Retry step"; on a WorkflowFailed
    /// case, whose decision restarts the ended workflow, "Restart from failed step", "Cancel order" and "Acknowledge").
    /// </summary>
    internal static string Block(ExceptionCase c, DateTimeOffset now)
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
            html.Append("<tr><td>Order</td><td><a href=\"").Append(E(ConsoleHandler.OrderPath(c.OrderId))).Append("\">").Append(E(c.OrderId)).AppendLine("</a></td></tr></table>");
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
    internal static Address? AddressFrom(IFormCollection? form)
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
}
