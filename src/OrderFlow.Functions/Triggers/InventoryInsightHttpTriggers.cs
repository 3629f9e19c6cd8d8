using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api;
using OrderFlow.Api.Handlers;
using OrderFlow.Functions.Durable;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// The stock explain, audit and low-stock alert routes of <see cref="OrderFlowEndpoints"/> and the console's reorder page,
/// delegating to <see cref="StockInsightHandler"/>.
/// </summary>
public sealed class InventoryInsightHttpTriggers(StockInsightHandler insight)
{
    [Function(nameof(ExplainInventory))]
    public Task<IResult> ExplainInventory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.InventoryExplain)] HttpRequest request,
        string sku,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        insight.ExplainAsync(sku, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(AuditInventory))]
    public Task<IResult> AuditInventory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.InventoryAudit)] HttpRequest request,
        string sku,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        insight.AuditAsync(sku, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(ListInventoryAlerts))]
    public Task<IResult> ListInventoryAlerts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.InventoryAlerts)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        insight.AlertsAsync(request, cancellationToken);

    /// <remarks>The durable client binding is unused; every HTTP function declares it, like the others.</remarks>
    [Function(nameof(GetConsoleReorder))]
    public Task<IResult> GetConsoleReorder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = StockInsightHandler.ReorderConsoleRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        insight.ReorderPageAsync(request, cancellationToken);
}
