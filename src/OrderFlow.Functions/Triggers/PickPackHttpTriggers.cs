using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api;
using OrderFlow.Api.Cases;
using OrderFlow.Functions.Durable;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// HTTP triggers for <see cref="PickPackEndpoints"/> (same names, routes and verbs), delegating to the
/// <see cref="PickPackHandler"/> the one-machine host uses.
/// </summary>
public sealed class PickPackHttpTriggers(PickPackHandler picks)
{
    /// <remarks>The durable client binding is unused; every HTTP function declares it, like the others.</remarks>
    [Function(nameof(GetConsolePicks))]
    public Task<IResult> GetConsolePicks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PickPackHandler.PicksRoute)] HttpRequest request,
        string location,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        picks.ListAsync(location, request, cancellationToken);

    [Function(nameof(PostConsolePick))]
    public Task<IResult> PostConsolePick(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PickPackHandler.AnswerRoute)] HttpRequest request,
        string location,
        string fulfillmentId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        picks.AnswerAsync(location, fulfillmentId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);
}
