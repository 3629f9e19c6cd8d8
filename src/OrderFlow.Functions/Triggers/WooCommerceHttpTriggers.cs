using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api;
using OrderFlow.Api.Handlers;
using OrderFlow.Functions.Durable;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// HTTP trigger for the WooCommerce webhook of <see cref="OrderFlowEndpoints"/> (same name, route and verb), delegating
/// to the handler the one-machine host uses.
/// </summary>
public sealed class WooCommerceHttpTriggers(WooCommerceWebhookHandler woocommerce)
{
    [Function(nameof(WooCommerceOrders))]
    public Task<IResult> WooCommerceOrders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = WooCommerceWebhookHandler.Route)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        woocommerce.OrdersAsync(request, new DurableTaskClientWorkflowClient(client), cancellationToken);
}
