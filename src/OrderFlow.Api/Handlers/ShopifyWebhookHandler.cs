using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Integrations.Shopify;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// Shopify orders/create intake: verify, dedupe, record, start one workflow per order, answer 202 fast.
/// Every delivery, accepted or rejected, is recorded with its raw payload.
/// </summary>
public sealed class ShopifyWebhookHandler(
    IDeliveryStore deliveries,
    IOptions<IntakeOptions> intake,
    IOptions<WorkflowOptions> workflow,
    TimeProvider clock,
    ILogger<ShopifyWebhookHandler> logger)
{
    public const string Source = "shopify";
    private const string HmacHeader = ShopifyWebhookVerifier.HmacHeader;
    private const string WebhookIdHeader = ShopifyWebhookVerifier.WebhookIdHeader;
    private const string TopicHeader = ShopifyWebhookVerifier.TopicHeader;

    public async Task<IResult> OrdersCreateAsync(HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var options = intake.Value;
        var body = await RequestBody.ReadAsync(request, options.MaxBodyBytes, cancellationToken);
        var webhookId = request.Headers[WebhookIdHeader].ToString();
        var topic = request.Headers[TopicHeader].ToString() is { Length: > 0 } t ? t : "orders/create";
        var now = clock.GetUtcNow();

        if (body is null)
        {
            return Problems.BadRequest($"Body is larger than {options.MaxBodyBytes} bytes.");
        }

        var raw = Encoding.UTF8.GetString(body);
        var deliveryId = string.IsNullOrWhiteSpace(webhookId) ? $"missing-id-{now.UtcTicks}" : webhookId;

        if (!ShopifyWebhookVerifier.Verify(body, request.Headers[HmacHeader].ToString(), options.ShopifyWebhookSecret))
        {
            await deliveries.RecordRejectedAsync(new WebhookDelivery(Source, deliveryId, topic, now, DeliveryOutcomes.RejectedSignature, "HMAC signature missing or invalid.", null, raw), cancellationToken);
            logger.LogWarning("Rejected Shopify delivery {DeliveryId}: bad signature", deliveryId);
            return Problems.Unauthorized($"{HmacHeader} is missing or does not match the body signed with the configured secret.");
        }

        if (string.IsNullOrWhiteSpace(webhookId))
        {
            await deliveries.RecordRejectedAsync(new WebhookDelivery(Source, deliveryId, topic, now, DeliveryOutcomes.RejectedMalformed, $"{WebhookIdHeader} header missing.", null, raw), cancellationToken);
            return Problems.BadRequest($"{WebhookIdHeader} header is required (it is how redeliveries are recognized).");
        }

        var mapped = ShopifyOrderMapper.Map(raw);
        if (!mapped.Succeeded)
        {
            await deliveries.RecordRejectedAsync(new WebhookDelivery(Source, deliveryId, topic, now, DeliveryOutcomes.RejectedMalformed, mapped.Error, null, raw), cancellationToken);
            logger.LogWarning("Rejected Shopify delivery {DeliveryId}: {Reason}", deliveryId, mapped.Error);
            return Problems.BadRequest(mapped.Error ?? "The order could not be read.");
        }

        var order = mapped.Order!;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = order.OrderId });
        var delivery = new WebhookDelivery(Source, deliveryId, topic, now, DeliveryOutcomes.Accepted, null, order.OrderId, raw);
        var firstTime = await deliveries.TryRecordAcceptedAsync(delivery, order, cancellationToken);

        var input = new OrderWorkflowInput(order.OrderId, Source, deliveryId, workflow.Value.ToSettings());
        if (!firstTime && await workflows.GetStatusAsync(order.OrderId, cancellationToken) is not null)
        {
            logger.LogInformation("Duplicate Shopify delivery {DeliveryId} for order {OrderId}", deliveryId, order.OrderId);
            return Results.Ok(new IntakeResponse(order.OrderId, "duplicate", ApiRoutes.OrderUrl(order.OrderId)));
        }

        // Recorded but not started (a crash between the two, or a redelivery after one): start now.
        var started = await workflows.StartAsync(nameof(OrderOrchestrator), order.OrderId, input, cancellationToken);
        if (!started)
        {
            logger.LogInformation("Order {OrderId} already has a workflow; delivery {DeliveryId} is a duplicate", order.OrderId, deliveryId);
            return Results.Ok(new IntakeResponse(order.OrderId, "duplicate", ApiRoutes.OrderUrl(order.OrderId)));
        }

        logger.LogInformation("Accepted Shopify delivery {DeliveryId}; workflow started for order {OrderId}", deliveryId, order.OrderId);
        return Results.Accepted(ApiRoutes.OrderUrl(order.OrderId), new IntakeResponse(order.OrderId, "accepted", ApiRoutes.OrderUrl(order.OrderId)));
    }
}
