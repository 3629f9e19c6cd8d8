using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api;
using OrderFlow.Api.Cases;
using OrderFlow.Functions.Durable;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// HTTP triggers for the operations console of <see cref="CaseEndpoints"/> (same names, routes and verbs), delegating
/// to the <see cref="ConsoleHandler"/> the one-machine host uses.
/// </summary>
public sealed class ConsoleHttpTriggers(ConsoleHandler console)
{
    /// <remarks>The durable client binding is unused; every HTTP function declares it, like the others.</remarks>
    [Function(nameof(GetConsoleLogin))]
    public IResult GetConsoleLogin(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsoleHandler.LoginRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        console.GetLogin();

    /// <remarks>The durable client binding is unused; every HTTP function declares it, like the others.</remarks>
    [Function(nameof(PostConsoleLogin))]
    public Task<IResult> PostConsoleLogin(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsoleHandler.LoginRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        console.PostLoginAsync(request, cancellationToken);

    /// <remarks>The durable client binding is unused; every HTTP function declares it, like the others.</remarks>
    [Function(nameof(PostConsoleLogout))]
    public IResult PostConsoleLogout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsoleHandler.LogoutRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        console.PostLogout(request);

    /// <remarks>The durable client binding is unused; every HTTP function declares it, like the others.</remarks>
    [Function(nameof(GetConsole))]
    public Task<IResult> GetConsole(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsoleHandler.HomeRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        console.HomeAsync(request, cancellationToken);

    [Function(nameof(PostConsoleResolve))]
    public Task<IResult> PostConsoleResolve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsoleHandler.ResolveRoute)] HttpRequest request,
        string caseId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        console.ResolveAsync(caseId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(GetConsoleOrder))]
    public Task<IResult> GetConsoleOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsoleHandler.OrderRoute)] HttpRequest request,
        string orderId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        console.OrderAsync(orderId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(GetConsoleInventory))]
    public Task<IResult> GetConsoleInventory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsoleHandler.InventoryRoute)] HttpRequest request,
        string sku,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        console.InventoryAsync(sku, request, new DurableTaskClientWorkflowClient(client), cancellationToken);
}
