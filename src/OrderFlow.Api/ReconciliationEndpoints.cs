using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Api.Reconciliation;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api;

/// <summary>Reconciliation runs and reports (operators), for an ASP.NET Core host.</summary>
public static class ReconciliationEndpoints
{
    public static RouteGroupBuilder MapReconciliationEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost(ReconciliationHandler.StartRoute, (HttpRequest request, ReconciliationHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.StartAsync(request, workflows, ct))
            .WithName("StartReconciliation")
            .RequiresOperatorKey()
            .WithSummary("Starts the three-way reconciliation of a range of UTC days; answers the report id (X-Operator-Key).")
            .Accepts<ReconciliationStartRequest>("application/json")
            .Produces<ReconciliationRunView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet(ReconciliationHandler.ReportRoute, (string reportId, HttpRequest request, ReconciliationHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.GetAsync(reportId, request, workflows, ct))
            .WithName("GetReconciliation")
            .RequiresOperatorKey()
            .WithSummary("A reconciliation report: counts, totals per kind and currency, mismatches with their cases (X-Operator-Key); 202 while running.")
            .Produces<ReconciliationReport>()
            .Produces<ReconciliationRunView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(ReconciliationHandler.CsvRoute, (string reportId, HttpRequest request, ReconciliationHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.CsvAsync(reportId, request, workflows, ct))
            .WithName("GetReconciliationCsv")
            .RequiresOperatorKey()
            .WithSummary("A reconciliation report as CSV: one row per total, mismatch and skipped order (X-Operator-Key).")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .Produces<ReconciliationRunView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(ReconciliationHandler.ConsoleRoute, (string reportId, HttpRequest request, ReconciliationHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.ConsolePageAsync(reportId, request, workflows, ct))
            .WithName("GetConsoleReconciliation")
            .WithSummary("A reconciliation report in the operations console.")
            .ExcludeFromDescription();

        api.MapGet(ReconciliationHandler.ConsoleCsvRoute, (string reportId, HttpRequest request, ReconciliationHandler handler, CancellationToken ct) =>
                handler.ConsoleCsvAsync(reportId, request, ct))
            .WithName("GetConsoleReconciliationCsv")
            .WithSummary("A reconciliation report's CSV, for a console session.")
            .ExcludeFromDescription();

        return api;
    }
}
