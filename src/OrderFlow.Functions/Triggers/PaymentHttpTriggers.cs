using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api;
using OrderFlow.Api.Handlers;
using OrderFlow.Functions.Durable;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// HTTP triggers for the payment endpoints of <see cref="PaymentEndpoints"/> (same names, routes and verbs), delegating
/// to the handlers the one-machine host uses.
/// </summary>
public sealed class PaymentHttpTriggers(StripeWebhookHandler stripe, GenericOrderHandler orders)
{
    [Function(nameof(StripeWebhook))]
    public Task<IResult> StripeWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = StripeWebhookHandler.Route)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        stripe.PostAsync(request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(PostOrder))]
    public Task<IResult> PostOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GenericOrderHandler.Route)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        orders.PostAsync(request, new DurableTaskClientWorkflowClient(client), cancellationToken);
}
