using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderFlow.Api.Cases;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api;

/// <summary>The console's pick-and-pack pages of own warehouses, for an ASP.NET Core host.</summary>
public static class PickPackEndpoints
{
    public static RouteGroupBuilder MapPickPackEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet(PickPackHandler.PicksRoute, (string location, HttpRequest request, PickPackHandler handler, CancellationToken ct) =>
                handler.ListAsync(location, request, ct))
            .WithName("GetConsolePicks")
            .WithSummary("An own warehouse's open pick lists, oldest first, with their lines and answer forms.")
            .ExcludeFromDescription();

        api.MapPost(PickPackHandler.AnswerRoute, (string location, string fulfillmentId, HttpRequest request, PickPackHandler handler, IWorkflowClient workflows, CancellationToken ct) =>
                handler.AnswerAsync(location, fulfillmentId, request, workflows, ct))
            .WithName("PostConsolePick")
            .WithSummary("Answers a pick list from the console (same-origin form): picked, shipped, short, reject or stopped, as the signed fulfillment callback would.")
            .DisableAntiforgery()
            .ExcludeFromDescription();

        return api;
    }
}
