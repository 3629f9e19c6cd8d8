using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api;
using OrderFlow.Api.Cases;
using OrderFlow.Functions.Durable;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// HTTP triggers for <see cref="CaseEndpoints"/> (same names, routes and verbs): approval pages and the cases API,
/// delegating to the handlers the one-machine host uses.
/// </summary>
public sealed class CaseHttpTriggers(ApprovalPageHandler approvals, CasesHandler cases)
{
    /// <remarks>The durable client binding is unused; every HTTP function declares it, like the others.</remarks>
    [Function(nameof(GetApprovalPage))]
    public Task<IResult> GetApprovalPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApprovalPageHandler.Route)] HttpRequest request,
        string token,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        approvals.GetAsync(token, cancellationToken);

    [Function(nameof(PostApprovalPage))]
    public Task<IResult> PostApprovalPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApprovalPageHandler.Route)] HttpRequest request,
        string token,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        approvals.PostAsync(token, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    /// <remarks>The durable client binding is unused; every HTTP function declares it, like the others.</remarks>
    [Function(nameof(ListCases))]
    public Task<IResult> ListCases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CasesHandler.ListRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        cases.ListAsync(request, cancellationToken);

    /// <remarks>The durable client binding is unused; every HTTP function declares it, like the others.</remarks>
    [Function(nameof(GetCase))]
    public Task<IResult> GetCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CasesHandler.CaseRoute)] HttpRequest request,
        string caseId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        cases.GetAsync(caseId, request, cancellationToken);

    [Function(nameof(ResolveCase))]
    public Task<IResult> ResolveCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CasesHandler.ResolveRoute)] HttpRequest request,
        string caseId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        cases.ResolveAsync(caseId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);
}
