using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api;
using OrderFlow.Api.Returns;
using OrderFlow.Functions.Durable;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// HTTP triggers for the return routes of <see cref="OrderFlowEndpoints"/> (same names, routes and verbs), delegating to
/// the <see cref="ReturnsHandler"/> the one-machine host uses.
/// </summary>
public sealed class ReturnHttpTriggers(ReturnsHandler returns)
{
    [Function("RequestReturn")]
    public Task<IResult> RequestReturn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.OrderReturns)] HttpRequest request,
        string orderId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        returns.RequestAsync(orderId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function("PostReturnReceived")]
    public Task<IResult> PostReturnReceived(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ReturnReceived)] HttpRequest request,
        string returnId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        returns.ReceivedAsync(returnId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function("GetReturn")]
    public Task<IResult> GetReturn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Return)] HttpRequest request,
        string returnId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        returns.GetAsync(returnId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);
}
