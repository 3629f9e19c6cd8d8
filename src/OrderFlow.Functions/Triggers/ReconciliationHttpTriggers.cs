using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api;
using OrderFlow.Api.Reconciliation;
using OrderFlow.Functions.Durable;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// HTTP triggers for <see cref="ReconciliationEndpoints"/> (same names, routes and verbs), delegating to the
/// <see cref="ReconciliationHandler"/> the one-machine host uses.
/// </summary>
public sealed class ReconciliationHttpTriggers(ReconciliationHandler reconciliations)
{
    [Function(nameof(StartReconciliation))]
    public Task<IResult> StartReconciliation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ReconciliationHandler.StartRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        reconciliations.StartAsync(request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(GetReconciliation))]
    public Task<IResult> GetReconciliation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ReconciliationHandler.ReportRoute)] HttpRequest request,
        string reportId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        reconciliations.GetAsync(reportId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(GetReconciliationCsv))]
    public Task<IResult> GetReconciliationCsv(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ReconciliationHandler.CsvRoute)] HttpRequest request,
        string reportId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        reconciliations.CsvAsync(reportId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(GetConsoleReconciliation))]
    public Task<IResult> GetConsoleReconciliation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ReconciliationHandler.ConsoleRoute)] HttpRequest request,
        string reportId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        reconciliations.ConsolePageAsync(reportId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    /// <remarks>The durable client binding is unused; every HTTP function declares it, like the others.</remarks>
    [Function(nameof(GetConsoleReconciliationCsv))]
    public Task<IResult> GetConsoleReconciliationCsv(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ReconciliationHandler.ConsoleCsvRoute)] HttpRequest request,
        string reportId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        reconciliations.ConsoleCsvAsync(reportId, request, cancellationToken);
}
