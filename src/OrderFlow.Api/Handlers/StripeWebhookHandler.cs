using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Common;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using Stripe;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// POST /api/webhooks/stripe: verifies Stripe-Signature, records every delivery (dedupe on the event id), keeps each
/// relayed event as a notice and hands it to the order's workflow, or holds it pending until the order arrives.
/// </summary>
public sealed partial class StripeWebhookHandler(
    IDeliveryStore deliveries,
    IEventDeliveryStore events,
    IPaymentEventStore payments,
    PaymentEventRelay relay,
    IOptions<StripeWebhookOptions> stripe,
    IOptions<IntakeOptions> intake,
    TimeProvider clock,
    ILogger<StripeWebhookHandler> logger)
{
    public const string Route = "webhooks/stripe";
    public const string Source = "stripe";
    public const string SignatureHeader = "Stripe-Signature";

    /// <summary>Stripe's default tolerance between the signed timestamp and now.</summary>
    public const long ToleranceSeconds = 300;

    public async Task<IResult> PostAsync(HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await RequestBody.ReadAsync(request, intake.Value.MaxBodyBytes, cancellationToken);
        var now = clock.GetUtcNow();
        if (body is null)
        {
            return RequestBody.TooLarge(intake.Value.MaxBodyBytes);
        }

        var raw = Encoding.UTF8.GetString(body);
        var (claimedId, claimedType) = Peek(raw);
        var label = claimedId ?? $"missing-id-{now.UtcTicks}";
        var secret = stripe.Value.WebhookSecret;
        // On Azure an unset secret is the placeholder "UNSET": anyone could sign with that, so only a real whsec_ counts.
        if (string.IsNullOrWhiteSpace(secret) || !secret.StartsWith("whsec_", StringComparison.Ordinal))
        {
            await Reject(label, claimedType, now, DeliveryOutcomes.RejectedSignature, "Stripe:WebhookSecret is not configured (whsec_...).", raw, cancellationToken);
            return Problems.Unavailable("Stripe webhooks are not configured (Stripe:WebhookSecret).");
        }

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(raw, request.Headers[SignatureHeader].ToString(), secret, ToleranceSeconds, now.ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException ex)
        {
            await Reject(label, claimedType, now, DeliveryOutcomes.RejectedSignature, ex.Message, raw, cancellationToken);
            LogRejected(label, ex.Message);
            return Problems.Unauthorized($"{SignatureHeader} is missing, invalid or outside the {ToleranceSeconds} s tolerance: {ex.Message}");
        }
        catch (Exception ex) when (ex is JsonException or Newtonsoft.Json.JsonException or ArgumentException or FormatException)
        {
            await Reject(label, claimedType, now, DeliveryOutcomes.RejectedMalformed, ex.Message, raw, cancellationToken);
            return Problems.BadRequest($"The event could not be read: {ex.Message}");
        }

        if (string.IsNullOrWhiteSpace(stripeEvent.Id) || string.IsNullOrWhiteSpace(stripeEvent.Type))
        {
            await Reject(label, claimedType, now, DeliveryOutcomes.RejectedMalformed, "Event id or type missing.", raw, cancellationToken);
            return Problems.BadRequest("The event has no id or type.");
        }

        var notice = ToNotice(stripeEvent, raw);
        if (notice is null)
        {
            // Verified but not one we relay (or no payment intent to match): on record, acknowledged.
            var reason = PaymentEvents.Relayed.Contains(stripeEvent.Type) ? "No payment intent on the event." : "Event type not relayed.";
            var first = await events.TryRecordAcceptedEventAsync(new WebhookDelivery(Source, stripeEvent.Id, stripeEvent.Type, now, DeliveryOutcomes.Accepted, reason, null, raw), cancellationToken);
            return Results.Ok(new PaymentEventResponse(stripeEvent.Id, first ? "ignored" : DeliveryOutcomes.Duplicate, null));
        }

        // The notice is kept before anything else, so a crash after this point loses nothing: a redelivery relays it.
        await payments.AddPendingAsync(notice, cancellationToken);
        var knownOrder = await payments.FindOrderAsync(notice.PaymentIntentId, cancellationToken);
        var firstTime = await events.TryRecordAcceptedEventAsync(
            new WebhookDelivery(Source, stripeEvent.Id, stripeEvent.Type, now, DeliveryOutcomes.Accepted, null, knownOrder, raw), cancellationToken);
        var orderId = await relay.RelayPendingAsync(notice.PaymentIntentId, workflows, cancellationToken);

        if (!firstTime)
        {
            LogDuplicate(stripeEvent.Id);
            return Results.Ok(new PaymentEventResponse(stripeEvent.Id, DeliveryOutcomes.Duplicate, orderId ?? knownOrder));
        }

        LogAccepted(stripeEvent.Id, stripeEvent.Type, orderId is null ? "pending" : "relayed");
        return Results.Ok(new PaymentEventResponse(stripeEvent.Id, orderId is null ? "pending" : DeliveryOutcomes.Accepted, orderId ?? knownOrder));
    }

    /// <summary>The notice for a relayed event type that names a payment intent; null otherwise.</summary>
    public static PaymentEventNotice? ToNotice(Event stripeEvent, string raw)
    {
        ArgumentNullException.ThrowIfNull(stripeEvent);
        if (!PaymentEvents.Relayed.Contains(stripeEvent.Type))
        {
            return null;
        }

        // Read from the raw JSON rather than typed objects, so a newer API version's shapes cannot break matching.
        using var document = JsonDocument.Parse(raw);
        if (!document.RootElement.TryGetProperty("data", out var data) || !data.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var isIntent = String(obj, "object") == "payment_intent";
        var intentId = isIntent ? String(obj, "id") : String(obj, "payment_intent");
        if (string.IsNullOrWhiteSpace(intentId))
        {
            return null;
        }

        var amountField = stripeEvent.Type switch
        {
            PaymentEvents.PaymentIntentSucceeded => "amount_received",
            PaymentEvents.ChargeRefunded => "amount_refunded",
            _ => "amount",
        };
        var currency = String(obj, "currency")?.ToUpperInvariant();
        Money? amount = obj.TryGetProperty(amountField, out var a) && a.TryGetInt64(out var minor) && currency is not null && Currencies.IsValidCode(currency)
            ? new Money(minor, currency)
            : null;
        var reason = stripeEvent.Type switch
        {
            PaymentEvents.PaymentIntentPaymentFailed when obj.TryGetProperty("last_payment_error", out var error) && error.ValueKind == JsonValueKind.Object =>
                String(error, "decline_code") is { } decline ? $"{String(error, "code")}: {decline}" : String(error, "code"),
            PaymentEvents.ChargeDisputeCreated => String(obj, "reason"),
            _ => null,
        };
        return new PaymentEventNotice(stripeEvent.Id, stripeEvent.Type, intentId, amount, reason, new DateTimeOffset(DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc)));
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Best-effort id and type of an unverified body, only to label a rejected delivery.</summary>
    private static (string? Id, string? Type) Peek(string raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object ? (String(root, "id"), String(root, "type")) : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private Task Reject(string deliveryId, string? topic, DateTimeOffset now, string outcome, string reason, string raw, CancellationToken cancellationToken) =>
        deliveries.RecordRejectedAsync(new WebhookDelivery(Source, deliveryId, topic ?? "unknown", now, outcome, reason, null, raw), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected Stripe delivery {DeliveryId}: {Reason}")]
    private partial void LogRejected(string deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate Stripe event {EventId}")]
    private partial void LogDuplicate(string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted Stripe event {EventId} ({Type}): {Disposition}")]
    private partial void LogAccepted(string eventId, string type, string disposition);
}
