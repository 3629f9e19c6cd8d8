using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using OrderFlow.Api.Cases;
using OrderFlow.Api.Models;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Catalog;

/// <summary>
/// The console's Catalog page (console session or X-Operator-Key): the CSV download, and an upload that shows the
/// <see cref="CatalogHandler"/>'s dry run with an Apply button carrying the same file. Posts follow the console's rules:
/// a cookie-authenticated form must come from the console's own origin.
/// </summary>
public sealed class CatalogConsoleHandler(CatalogHandler catalog, ConsoleHandler console)
{
    public const string ConsoleRoute = "console/catalog";
    public const string ConsoleImportRoute = "console/catalog/import";
    public const string ConsoleCsvRoute = "console/catalog/csv";

    private const string ConsolePath = ConsoleHandler.BasePath + "/catalog";

    /// <summary>The console's Catalog page: export link and the upload form (a dry run first).</summary>
    public IResult ConsolePage(HttpRequest request)
    {
        if (!console.Authorized(request))
        {
            return Results.Redirect(ConsoleHandler.LoginPath);
        }

        var page = ConsoleHandler.Page("Catalog");
        page.Markup($"<p><a href=\"{ConsoleHandler.BasePath}/catalog/csv\">Download the catalog as CSV</a></p>");
        page.Paragraph($"Columns: {string.Join(",", CatalogCsv.Columns)}. One row per SKU and location; units are the counted on-hand there, applied as a difference to the live count. An empty catalog cell keeps the current value.");
        page.Markup(
            $"<form method=\"post\" action=\"{ConsolePath}/import\" enctype=\"multipart/form-data\">"
            + "<p><label for=\"file\">CSV file</label> <input type=\"file\" id=\"file\" name=\"file\" accept=\".csv,text/csv\" required></p>"
            + "<p><button type=\"submit\">Dry run</button></p></form>");
        return page;
    }

    /// <summary>
    /// An upload from the console: with a file, the dry run and an Apply button carrying the same file; with Apply, the
    /// import itself. Cookie-authenticated posts must come from the console's origin, like case decisions.
    /// </summary>
    public async Task<IResult> ConsoleImportAsync(HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (console.RefuseFormPost(request) is { } refused)
        {
            return refused;
        }

        if (request.ContentLength > CatalogCsv.MaxBytes * 2L || !request.HasFormContentType)
        {
            return ConsoleHandler.Message("Bad request", $"Upload a CSV file of at most {CatalogCsv.MaxBytes} bytes.", StatusCodes.Status400BadRequest);
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var apply = form["apply"].ToString() == "true";
        byte[]? file = null;
        if (apply)
        {
            try
            {
                file = Convert.FromBase64String(form["file64"].ToString());
            }
            catch (FormatException)
            {
                file = null;
            }
        }
        else if (form.Files["file"] is { Length: > 0 and <= CatalogCsv.MaxBytes } upload)
        {
            using var buffer = new MemoryStream();
            await upload.CopyToAsync(buffer, cancellationToken);
            file = buffer.ToArray();
        }

        if (file is not { Length: > 0 and <= CatalogCsv.MaxBytes })
        {
            return ConsoleHandler.Message("Bad request", $"Choose a CSV file of 1 to {CatalogCsv.MaxBytes} bytes.", StatusCodes.Status400BadRequest);
        }

        var (report, problem) = await catalog.RunAsync(file, dryRun: !apply, workflows, cancellationToken);
        if (problem is not null)
        {
            return ConsoleHandler.Message("File refused", problem, StatusCodes.Status400BadRequest);
        }

        var page = ReportPage(report!);
        if (!apply && report!.Rejected.Count == 0)
        {
            page.Markup(
                $"<form method=\"post\" action=\"{ConsolePath}/import\" enctype=\"multipart/form-data\" data-apply=\"{E(report.FileSha256)}\">"
                + "<input type=\"hidden\" name=\"apply\" value=\"true\">"
                + $"<input type=\"hidden\" name=\"file64\" value=\"{E(Convert.ToBase64String(file))}\">"
                + "<p><button type=\"submit\">Apply</button></p></form>");
        }

        return page;
    }

    /// <summary>The export for a console session.</summary>
    public async Task<IResult> ConsoleCsvAsync(HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (!console.Authorized(request))
        {
            return Results.Redirect(ConsoleHandler.LoginPath);
        }

        return await catalog.CsvAsync(workflows, cancellationToken);
    }

    private static string E(string? value) => HtmlPage.Encode(value);

    private static HtmlPage ReportPage(CatalogImportReport report)
    {
        var page = ConsoleHandler.Page(report.DryRun ? "Catalog import: dry run" : "Catalog import", report.Rejected.Count > 0 ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK);
        page.Paragraph(report.Summary, "note");
        page.Rows([("File SHA-256", report.FileSha256), ("Rows", report.Rows.ToString(CultureInfo.InvariantCulture))]);
        if (report.Rejected.Count > 0)
        {
            var rejected = new StringBuilder("<table data-rejected><tr><th>line</th><th>SKU</th><th>reason</th></tr>");
            foreach (var r in report.Rejected)
            {
                rejected.Append("<tr><td>").Append(r.Line.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(E(r.Sku)).Append("</td><td>").Append(E(r.Reason)).Append("</td></tr>");
            }

            page.Heading($"Rejected rows ({report.Rejected.Count})").Markup(rejected.Append("</table>").ToString());
        }

        var changes = new StringBuilder("<table data-changes><tr><th>SKU</th><th>action</th><th>fields</th><th>units per location</th></tr>");
        foreach (var c in report.Changes)
        {
            changes.Append("<tr data-sku=\"").Append(E(c.Sku)).Append("\"><td>").Append(E(c.Sku)).Append("</td><td>").Append(E(c.Action)).Append("</td><td>")
                .Append(E(string.Join("; ", c.Fields.Select(f => $"{f.Field}: {f.From ?? "(none)"} → {f.To ?? "(none)"}")))).Append("</td><td>")
                .Append(E(string.Join("; ", c.Units.Select(u => $"{u.Location}: {u.OnHand} → {u.Units} ({(u.Delta >= 0 ? "+" : string.Empty)}{u.Delta}) {u.Status}")))).Append("</td></tr>");
        }

        page.Heading($"SKUs ({report.Changes.Count})").Markup(changes.Append("</table>").ToString());
        page.Markup($"<p><a href=\"{ConsolePath}\">Upload another file</a></p>");
        return page;
    }
}
