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
/// WooCommerce order.created intake: answer the unsigned ping a new webhook sends, verify X-WC-Webhook-Signature, map
/// the order, then take the shared dedupe and start path (<see cref="OrderIntake"/>). Every signed or rejected delivery
/// is recorded with its raw payload. WooCommerce gives each attempt a new delivery id, so a resent order is recognised
/// by its order id (the workflow instance id) and answered 200 duplicate. An order.updated delivery at the same URL
/// stores the order's new payment state and, once it is paid, releases a payment hold (<see cref="ChannelPaymentRelease"/>);
/// it is answered 200 with its outcome and recorded.
/// </summary>
public sealed partial class WooCommerceWebhookHandler(
    IDeliveryStore deliveries,
    IOptions<IntakeOptions> intakeOptions,
    OrderIntake intake,
    UnmappableDeliveries unmappable,
    IEventDeliveryStore events,
    ChannelPaymentRelease release,
    TimeProvider clock,
    ILogger<WooCommerceWebhookHandler> logger)
{
    public const string Route = "webhooks/woocommerce/orders";
    public const string Source = WooCommerceOrderMapper.Source;
    public const string DecidedBy = "woocommerce:order.updated";

    public async Task<IResult> OrdersAsync(HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = intakeOptions.Value;
        var secret = options.WooCommerceWebhookSecret;
        if (string.IsNullOrEmpty(secret) || secret == "UNSET")
        {
            return Problems.Unavailable("The WooCommerce intake is off (Intake:WooCommerceWebhookSecret is not set).");
        }

        var body = await RequestBody.ReadAsync(request, options.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return RequestBody.TooLarge(options.MaxBodyBytes);
        }

        var topicHeader = request.Headers[WooCommerceWebhook.TopicHeader].ToString();
        if (WooCommerceWebhook.PingWebhookId(body, topicHeader) is { } webhookId)
        {
            // Carries no order and no signature; WooCommerce only keeps the webhook if this answers 2xx.
            LogPing(webhookId);
            return Results.Ok();
        }

        var now = clock.GetUtcNow();
        var raw = Encoding.UTF8.GetString(body);
        var topic = topicHeader.Length > 0 ? topicHeader : WooCommerceWebhook.OrderCreatedTopic;
        var headerId = request.Headers[WooCommerceWebhook.DeliveryIdHeader].ToString();
        var label = string.IsNullOrWhiteSpace(headerId) ? $"missing-id-{now.UtcTicks}" : headerId;

        if (!WooCommerceWebhook.Verify(body, request.Headers[WooCommerceWebhook.SignatureHeader].ToString(), secret))
        {
            await Reject(label, topic, now, DeliveryOutcomes.RejectedSignature, "HMAC signature missing or invalid.", raw, cancellationToken);
            LogRejected(label, "bad signature");
            return Problems.Unauthorized($"{WooCommerceWebhook.SignatureHeader} is missing or does not match the body signed with Intake:WooCommerceWebhookSecret.");
        }

        if (OrderIntake.DeliveryIdProblem(WooCommerceWebhook.DeliveryIdHeader, headerId) is { } tooLong)
        {
            await Reject(label, topic, now, DeliveryOutcomes.RejectedMalformed, tooLong, raw, cancellationToken);
            LogRejected(label, tooLong);
            return Problems.BadRequest(tooLong);
        }

        if (topic is not (WooCommerceWebhook.OrderCreatedTopic or WooCommerceWebhook.OrderUpdatedTopic))
        {
            var reason = $"Topic '{topic}' is not handled here; point the {WooCommerceWebhook.OrderCreatedTopic} and {WooCommerceWebhook.OrderUpdatedTopic} webhooks at this URL.";
            await Reject(label, topic, now, DeliveryOutcomes.RejectedMalformed, reason, raw, cancellationToken);
            LogRejected(label, reason);
            return Problems.Unprocessable(reason);
        }

        var mapped = WooCommerceOrderMapper.Map(body);
        if (!mapped.Succeeded)
        {
            // Signed, so WooCommerce would resend the same body (and disable the webhook after repeated failures): a 200 and a case.
            LogRejected(label, mapped.Error);
            var caseId = await unmappable.RejectAsync(Source, UnmappableDeliveries.DeliveryKey(headerId, raw), topic, raw, mapped.Error, cancellationToken);
            return Results.Ok(new IntakeRejectedResponse(UnmappableDeliveries.NeedsReview, caseId));
        }

        var order = mapped.Order;
        if (topic == WooCommerceWebhook.OrderUpdatedTopic)
        {
            return await UpdatedAsync(order, headerId, raw, now, workflows, cancellationToken);
        }

        var deliveryId = string.IsNullOrWhiteSpace(headerId) ? order.OrderId : headerId;
        var delivery = new WebhookDelivery(Source, deliveryId, topic, now, DeliveryOutcomes.Accepted, null, order.OrderId, raw);
        return await intake.StartAsync(delivery, order, workflows, cancellationToken);
    }

    /// <summary>order.updated: the order's payment as WooCommerce now reports it; a payment hold ends once it is paid.</summary>
    private async Task<IResult> UpdatedAsync(Domain.Orders.Order order, string headerId, string raw, DateTimeOffset now, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var deliveryId = string.IsNullOrWhiteSpace(headerId) ? $"{order.OrderId}-updated-{now.UtcTicks}" : headerId;
        var (outcome, reason) = order.Payment is { } payment
            ? await release.ApplyAsync(order.OrderId, Source, _ => payment, DecidedBy, now, workflows, cancellationToken)
            : (ChannelPaymentRelease.Ignored, "The order is paid through Stripe: its own events move it.");
        if (!await events.TryRecordAcceptedEventAsync(
            new WebhookDelivery(Source, deliveryId, WooCommerceWebhook.OrderUpdatedTopic, now, outcome, reason, order.OrderId, raw), cancellationToken))
        {
            return Results.Ok(new IntakeResponse(order.OrderId, DeliveryOutcomes.Duplicate, ApiRoutes.OrderUrl(order.OrderId)));
        }

        LogUpdated(order.OrderId, deliveryId, outcome);
        return Results.Ok(new IntakeResponse(order.OrderId, outcome, ApiRoutes.OrderUrl(order.OrderId)));
    }

    private Task Reject(string deliveryId, string topic, DateTimeOffset now, string outcome, string reason, string raw, CancellationToken cancellationToken) =>
        deliveries.RecordRejectedAsync(new WebhookDelivery(Source, deliveryId, topic, now, outcome, reason, null, raw), cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: WooCommerce order.updated delivery {DeliveryId} recorded as {Outcome}")]
    private partial void LogUpdated(string orderId, string deliveryId, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "WooCommerce ping for webhook {WebhookId} answered")]
    private partial void LogPing(string webhookId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected WooCommerce delivery {DeliveryId}: {Reason}")]
    private partial void LogRejected(string deliveryId, string reason);
}
