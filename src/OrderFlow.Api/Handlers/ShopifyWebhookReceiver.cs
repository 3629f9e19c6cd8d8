using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Api.Webhooks;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// The checks every Shopify webhook route shares: body size cap, X-Shopify-Hmac-Sha256 over the raw bytes, and a
/// webhook id to dedupe on. A refused delivery is recorded (with its payload) before the refusal is returned.
/// </summary>
public sealed partial class ShopifyWebhookReceiver(
    IDeliveryStore deliveries,
    IOptions<IntakeOptions> intakeOptions,
    TimeProvider clock,
    ILogger<ShopifyWebhookReceiver> logger)
{
    public const string Source = ShopifyOrderMapper.Source;
    private const string HmacHeader = ShopifyWebhookVerifier.HmacHeader;
    private const string WebhookIdHeader = ShopifyWebhookVerifier.WebhookIdHeader;
    private const string TopicHeader = ShopifyWebhookVerifier.TopicHeader;

    /// <param name="defaultTopic">The route's topic, used when X-Shopify-Topic is absent.</param>
    public async Task<ShopifyReceipt> ReceiveAsync(HttpRequest request, string defaultTopic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = intakeOptions.Value;
        var body = await RequestBody.ReadAsync(request, options.MaxBodyBytes, cancellationToken);
        var webhookId = request.Headers[WebhookIdHeader].ToString();
        var topic = request.Headers[TopicHeader].ToString() is { Length: > 0 } t ? t : defaultTopic;
        var now = clock.GetUtcNow();

        if (body is null)
        {
            return new ShopifyReceipt(RequestBody.TooLarge(options.MaxBodyBytes), string.Empty, webhookId, topic, now);
        }

        var raw = Encoding.UTF8.GetString(body);
        var deliveryId = string.IsNullOrWhiteSpace(webhookId) ? $"missing-id-{now.UtcTicks}" : webhookId;

        if (!ShopifyWebhookVerifier.Verify(body, request.Headers[HmacHeader].ToString(), options.ShopifyWebhookSecret))
        {
            await RejectAsync(new WebhookDelivery(Source, deliveryId, topic, now, DeliveryOutcomes.RejectedSignature, "HMAC signature missing or invalid.", null, raw), cancellationToken);
            LogBadSignature(deliveryId, topic);
            return new ShopifyReceipt(Problems.Unauthorized($"{HmacHeader} is missing or does not match the body signed with the configured secret."), raw, deliveryId, topic, now);
        }

        if (string.IsNullOrWhiteSpace(webhookId))
        {
            await RejectAsync(new WebhookDelivery(Source, deliveryId, topic, now, DeliveryOutcomes.RejectedMalformed, $"{WebhookIdHeader} header missing.", null, raw), cancellationToken);
            return new ShopifyReceipt(Problems.BadRequest($"{WebhookIdHeader} header is required (it is how redeliveries are recognized)."), raw, deliveryId, topic, now);
        }

        if (OrderIntake.DeliveryIdProblem(WebhookIdHeader, webhookId) is { } tooLong)
        {
            await RejectAsync(new WebhookDelivery(Source, deliveryId, topic, now, DeliveryOutcomes.RejectedMalformed, tooLong, null, raw), cancellationToken);
            LogMalformed(deliveryId, topic, tooLong);
            return new ShopifyReceipt(Problems.BadRequest(tooLong), raw, deliveryId, topic, now);
        }

        return new ShopifyReceipt(null, raw, webhookId, topic, now);
    }

    /// <summary>
    /// <see cref="ReceiveAsync"/> then <see cref="RepeatAsync"/>: the answer is the refusal or the repeat's answer, or null
    /// for a new, verified delivery the route handles.
    /// </summary>
    public async Task<(ShopifyReceipt Receipt, IResult? Answered)> ReceiveNewAsync(HttpRequest request, string defaultTopic, CancellationToken cancellationToken)
    {
        var receipt = await ReceiveAsync(request, defaultTopic, cancellationToken);
        return (receipt, receipt.Rejection ?? await RepeatAsync(receipt, cancellationToken));
    }

    /// <summary>
    /// For the webhook routes that act on an existing order (orders/cancelled, orders/paid): a delivery id recorded
    /// before (and not rejected) is answered "duplicate" when the body is the same, and a 409 (recorded as
    /// rejected-conflict) when it differs; null when the delivery is new.
    /// </summary>
    public async Task<IResult?> RepeatAsync(ShopifyReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var seen = await deliveries.GetAsync(Source, receipt.WebhookId, cancellationToken);
        if (seen is null || seen.Outcome.StartsWith("rejected", StringComparison.Ordinal))
        {
            return null;
        }

        if (seen.RawPayload != receipt.Raw)
        {
            return await ConflictAsync(receipt, seen, cancellationToken);
        }

        LogDuplicate(receipt.WebhookId, receipt.Topic);
        return Duplicate(seen.OrderId);
    }

    /// <summary>After losing the race to record <paramref name="receipt"/>: a duplicate, or a conflict if the winner's body differs.</summary>
    public async Task<IResult> LostRaceAsync(ShopifyReceipt receipt, string orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return await deliveries.GetAsync(Source, receipt.WebhookId, cancellationToken) is { } raced && raced.RawPayload != receipt.Raw
            ? await ConflictAsync(receipt, raced, cancellationToken)
            : Duplicate(orderId);
    }

    /// <summary>A webhook id seen before with another body: recorded as rejected-conflict and answered 409, never "duplicate".</summary>
    private async Task<IResult> ConflictAsync(ShopifyReceipt receipt, WebhookDelivery seen, CancellationToken cancellationToken)
    {
        var reason = $"Delivery {receipt.WebhookId} was already received with different content (order {seen.OrderId}); a delivery id names one body.";
        await deliveries.RecordRejectedAsync(
            new WebhookDelivery(Source, receipt.WebhookId, receipt.Topic, receipt.ReceivedAt, DeliveryOutcomes.RejectedConflict, reason, seen.OrderId, receipt.Raw),
            cancellationToken);
        LogConflict(receipt.WebhookId, receipt.Topic);
        return Problems.Conflict(reason);
    }

    private static IResult Duplicate(string? orderId) =>
        Results.Ok(new IntakeResponse(orderId ?? string.Empty, DeliveryOutcomes.Duplicate, orderId is null ? string.Empty : ApiRoutes.OrderUrl(orderId)));

    private Task RejectAsync(WebhookDelivery delivery, CancellationToken cancellationToken) => deliveries.RecordRejectedAsync(delivery, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused Shopify delivery {DeliveryId} ({Topic}): seen before with different content")]
    private partial void LogConflict(string deliveryId, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate Shopify delivery {DeliveryId} ({Topic})")]
    private partial void LogDuplicate(string deliveryId, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected Shopify delivery {DeliveryId} ({Topic}): bad signature")]
    private partial void LogBadSignature(string deliveryId, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected Shopify delivery {DeliveryId} ({Topic}): {Reason}")]
    private partial void LogMalformed(string deliveryId, string topic, string reason);
}
