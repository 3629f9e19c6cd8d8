using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderFlow.Api.Catalog;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api;

/// <summary>Catalog CSV export and import (operators), and the console's Catalog page, for an ASP.NET Core host.</summary>
public static class CatalogEndpoints
{
    public static RouteGroupBuilder MapCatalogEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet(CatalogHandler.ExportRoute, (HttpRequest request, CatalogHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.ExportAsync(request, workflows, ct))
            .WithName("ExportCatalogCsv")
            .RequiresOperatorKey()
            .WithSummary("The catalog as CSV: one row per SKU and location with title, units on hand, reorder threshold, out-of-stock policy, substitute and download URL (X-Operator-Key).")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapPost(CatalogHandler.ImportRoute, (HttpRequest request, CatalogHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.ImportAsync(request, workflows, ct))
            .WithName("ImportCatalogCsv")
            .RequiresOperatorKey()
            .WithSummary("Imports a catalog CSV (body text/csv). dryRun=true (required: true|false) lists per SKU what would change and the rejected rows with line and reason; dryRun=false applies a file without rejected rows (else 422, nothing applied): catalog fields, and units as count-correction deltas against the live on-hand, keyed by the file's hash so a re-post applies nothing twice (X-Operator-Key).")
            .Accepts<string>("text/csv")
            .Produces<CatalogImportReport>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet(CatalogConsoleHandler.ConsoleRoute, (HttpRequest request, CatalogConsoleHandler handler) => handler.ConsolePage(request))
            .WithName("GetConsoleCatalog")
            .WithSummary("The console's Catalog page: CSV download and upload.")
            .ExcludeFromDescription();

        api.MapPost(CatalogConsoleHandler.ConsoleImportRoute, (HttpRequest request, CatalogConsoleHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.ConsoleImportAsync(request, workflows, ct))
            .WithName("PostConsoleCatalogImport")
            .WithSummary("A catalog CSV uploaded from the console (same-origin form): its dry run, or with Apply the import.")
            .DisableAntiforgery()
            .ExcludeFromDescription();

        api.MapGet(CatalogConsoleHandler.ConsoleCsvRoute, (HttpRequest request, CatalogConsoleHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.ConsoleCsvAsync(request, workflows, ct))
            .WithName("GetConsoleCatalogCsv")
            .WithSummary("The catalog CSV, for a console session.")
            .ExcludeFromDescription();

        return api;
    }
}
