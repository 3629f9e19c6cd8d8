using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderFlow.Api.Cases;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Api.RateLimiting;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api;

/// <summary>Approval pages (signed links) and the operators' cases API, for an ASP.NET Core host.</summary>
public static class CaseEndpoints
{
    public static RouteGroupBuilder MapCaseEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet(ApprovalPageHandler.Route, (string token, ApprovalPageHandler handler, CancellationToken ct) =>
                handler.GetAsync(token, ct))
            .WithName("GetApprovalPage")
            .RateLimitedAs(InboundRateLimits.Approvals)
            .WithSummary("Approval page of a signed link: the case and a confirmation form. Changes nothing.")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .ExcludeFromDescription();

        api.MapPost(ApprovalPageHandler.Route, (string token, HttpRequest request, ApprovalPageHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.PostAsync(token, request, workflows, ct))
            .WithName("PostApprovalPage")
            .RateLimitedAs(InboundRateLimits.Approvals)
            .WithSummary("Confirms the decision of a signed, single-use approval link and resumes the order.")
            .DisableAntiforgery()
            .ExcludeFromDescription();

        api.MapGet(CasesHandler.ListRoute, (HttpRequest request, CasesHandler handler, CancellationToken ct) =>
                handler.ListAsync(request, ct))
            .WithName("ListCases")
            .RequiresOperatorKey()
            .WithSummary("Open exception cases, oldest first, with counts per reason (X-Operator-Key).")
            .Produces<CaseListView>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet(CasesHandler.CaseRoute, (string caseId, HttpRequest request, CasesHandler handler, CancellationToken ct) =>
                handler.GetAsync(caseId, request, ct))
            .WithName("GetCase")
            .RequiresOperatorKey()
            .WithSummary("One exception case with its decision, if any (X-Operator-Key).")
            .Produces<CaseView>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost(CasesHandler.ResolveRoute, (string caseId, HttpRequest request, CasesHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.ResolveAsync(caseId, request, workflows, ct))
            .WithName("ResolveCase")
            .RequiresOperatorKey()
            .WithSummary("Operator resolution of an open case: records it and resumes the order (X-Operator-Key).")
            .Accepts<CaseResolveRequest>("application/json")
            .Produces<CaseResolveResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapConsoleEndpoints();
        return api;
    }

    /// <summary>The operations console's HTML pages (operator key as a session cookie or X-Operator-Key).</summary>
    public static RouteGroupBuilder MapConsoleEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet(ConsoleHandler.LoginRoute, (ConsoleHandler handler) => handler.GetLogin())
            .WithName("GetConsoleLogin")
            .WithSummary("Operations console sign-in form.")
            .ExcludeFromDescription();

        api.MapPost(ConsoleHandler.LoginRoute, (HttpRequest request, ConsoleHandler handler, CancellationToken ct) =>
                handler.PostLoginAsync(request, ct))
            .WithName("PostConsoleLogin")
            .RateLimitedAs(InboundRateLimits.Approvals)
            .WithSummary("Checks the operator key and sets the console's session cookie.")
            .DisableAntiforgery()
            .ExcludeFromDescription();

        api.MapPost(ConsoleHandler.LogoutRoute, (HttpRequest request, ConsoleHandler handler) => handler.PostLogout(request))
            .WithName("PostConsoleLogout")
            .WithSummary("Signs out of the operations console: expires the session cookie and redirects (303) to the sign-in form. Same-origin posts only (Origin, else Referer, must name this scheme and host), else 403.")
            .DisableAntiforgery()
            .Produces(StatusCodes.Status303SeeOther)
            .Produces<string>(StatusCodes.Status403Forbidden, "text/html");

        api.MapGet(ConsoleHandler.HomeRoute, (HttpRequest request, ConsoleHandler handler, CancellationToken ct) =>
                handler.HomeAsync(request, ct))
            .WithName("GetConsole")
            .WithSummary("Open cases by age and reason, with their context and action buttons.")
            .ExcludeFromDescription();

        api.MapPost(ConsoleHandler.ResolveRoute, (string caseId, HttpRequest request, ConsoleHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.ResolveAsync(caseId, request, workflows, ct))
            .WithName("PostConsoleResolve")
            .WithSummary("Resolves a case from the console (same-origin form) and resumes the order.")
            .DisableAntiforgery()
            .ExcludeFromDescription();

        api.MapGet(ConsoleHandler.OrderRoute, (string orderId, HttpRequest request, ConsoleHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.OrderAsync(orderId, request, workflows, ct))
            .WithName("GetConsoleOrder")
            .WithSummary("An order's timeline: steps, emails, cases, fulfillments, tracking.")
            .ExcludeFromDescription();

        api.MapGet(ConsoleHandler.InventoryRoute, (string sku, HttpRequest request, ConsoleHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.InventoryAsync(sku, request, workflows, ct))
            .WithName("GetConsoleInventory")
            .WithSummary("A SKU's stock per location and its reservations by order.")
            .ExcludeFromDescription();

        return api;
    }
}
