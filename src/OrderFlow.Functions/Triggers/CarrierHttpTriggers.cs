using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api;
using OrderFlow.Api.Handlers;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// HTTP trigger for the carrier tracking webhook of <see cref="OrderFlowEndpoints"/> (same name, route and verb),
/// delegating to the handler the one-machine host uses.
/// </summary>
public sealed class CarrierHttpTriggers(CarrierWebhookHandler carrier)
{
    /// <remarks>The durable client binding is unused; every HTTP function declares it, like the others.</remarks>
    [Function(nameof(CarrierWebhook))]
    public Task<IResult> CarrierWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.CarrierWebhook)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        carrier.PostAsync(request, cancellationToken);
}
