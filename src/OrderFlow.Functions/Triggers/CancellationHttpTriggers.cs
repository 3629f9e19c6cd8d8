using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api;
using OrderFlow.Api.Handlers;
using OrderFlow.Functions.Durable;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// HTTP triggers for the two ways a cancellation comes in, and Shopify's orders/paid that releases a payment hold
/// (<see cref="OrderFlowEndpoints"/>: same names, routes and verbs), delegating to the handlers the one-machine host uses.
/// </summary>
public sealed class CancellationHttpTriggers(CancelOrderHandler cancel, ShopifyCancellationHandler shopify, ShopifyPaymentHandler paid)
{
    [Function(nameof(CancelOrder))]
    public Task<IResult> CancelOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.OrderCancel)] HttpRequest request,
        string orderId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        cancel.PostAsync(orderId, request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(ShopifyOrdersCancelled))]
    public Task<IResult> ShopifyOrdersCancelled(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ShopifyOrdersCancelled)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        shopify.OrdersCancelledAsync(request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(ShopifyOrdersPaid))]
    public Task<IResult> ShopifyOrdersPaid(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ShopifyOrdersPaid)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        paid.OrdersPaidAsync(request, new DurableTaskClientWorkflowClient(client), cancellationToken);
}
