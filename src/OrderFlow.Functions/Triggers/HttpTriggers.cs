using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api;
using OrderFlow.Api.Handlers;
using OrderFlow.Functions.Durable;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// One HTTP trigger per endpoint of <see cref="OrderFlowEndpoints"/> (same names, routes and verbs; the "api" route
/// prefix comes from host.json), each delegating to the handler the one-machine host uses.
/// </summary>
public sealed class HttpTriggers(
    ShopifyWebhookHandler shopify,
    OrderQueryHandler orders,
    OrderStatusPageHandler statusPage,
    InventoryHandler inventory,
    StockMovementHandler movements,
    FulfillmentEventsHandler fulfillments)
{
    [Function(nameof(ShopifyOrdersCreate))]
    public Task<IResult> ShopifyOrdersCreate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ShopifyOrdersCreate)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        shopify.OrdersCreateAsync(request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(GetOrder))]
    public Task<IResult> GetOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Order)] HttpRequest request,
        string orderId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        orders.GetAsync(orderId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(GetOrderStatusPage))]
    public Task<IResult> GetOrderStatusPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OrderStatusPage)] HttpRequest request,
        string orderId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        statusPage.GetAsync(orderId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(PutInventory))]
    public Task<IResult> PutInventory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.Inventory)] HttpRequest request,
        string sku,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        inventory.PutAsync(sku, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(PostInventoryMovement))]
    public Task<IResult> PostInventoryMovement(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.InventoryMovements)] HttpRequest request,
        string sku,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        movements.PostAsync(sku, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(GetInventory))]
    public Task<IResult> GetInventory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Inventory)] HttpRequest request,
        string sku,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        inventory.GetAsync(sku, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(PostFulfillmentEvent))]
    public Task<IResult> PostFulfillmentEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.FulfillmentEvents)] HttpRequest request,
        string fulfillmentId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        fulfillments.PostAsync(fulfillmentId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);
}
