using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Options;
using OrderFlow.Integrations.Shopify;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// Shopify orders/create intake: verify, dedupe, record, start one workflow per order, answer 202 fast.
/// Every delivery, accepted or rejected, is recorded with its raw payload.
/// </summary>
public sealed class ShopifyWebhookHandler(
    IDeliveryStore deliveries,
    IOptions<IntakeOptions> intakeOptions,
    OrderIntake intake,
    TimeProvider clock,
    ILogger<ShopifyWebhookHandler> logger)
{
    public const string Source = "shopify";
    private const string HmacHeader = ShopifyWebhookVerifier.HmacHeader;
    private const string WebhookIdHeader = ShopifyWebhookVerifier.WebhookIdHeader;
    private const string TopicHeader = ShopifyWebhookVerifier.TopicHeader;

    public async Task<IResult> OrdersCreateAsync(HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var options = intakeOptions.Value;
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
        var delivery = new WebhookDelivery(Source, deliveryId, topic, now, DeliveryOutcomes.Accepted, null, order.OrderId, raw);
        return await intake.StartAsync(delivery, order, workflows, cancellationToken);
    }
}
