using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api;
using OrderFlow.Api.Handlers;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// HTTP triggers for the notification endpoints of <see cref="OrderFlowEndpoints"/> (same names, routes and verbs),
/// delegating to the handlers the one-machine host uses.
/// </summary>
public sealed class NotificationHttpTriggers(NotificationPreviewHandler preview)
{
    /// <remarks>The durable client binding is unused; every HTTP function declares it, like the others.</remarks>
    [Function(nameof(PreviewNotification))]
    public IResult PreviewNotification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = NotificationPreviewHandler.Route)] HttpRequest request,
        string template,
        [DurableClient] DurableTaskClient client) =>
        preview.Get(template, request?.Query["format"]);
}
