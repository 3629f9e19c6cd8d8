using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// POST /api/fulfillments/{fulfillmentId}/events: a location's signed word on a fulfillment. "shipped", "rejected",
/// "short" (with the short lines) and "cancelled" (it stopped a fulfillment it was told to cancel) go to the order's workflow; "picked" is noted on the fulfillment and the timeline
/// only. Deduped on the body's "eventId" (or, without one, on the body's hash): a repeat answers "duplicate" and does
/// nothing. An event for an unknown order or fulfillment is refused, never dropped silently.
/// </summary>
/// <remarks>
/// Checks in order: body size, X-OrderFlow-Signature (<see cref="CallbackAuthenticator"/>: timestamped, bound to this
/// fulfillment's path, before any storage key is built from the id or body), the body, then that the signer's key
/// belongs to the fulfillment's location. The workflow event is recorded as processed only after it was raised, so a
/// failure answers 500 and the location's retry applies it. "picked" claims its dedupe record before it writes the
/// timeline note, so concurrent duplicates note it once and answer "duplicate".
/// </remarks>
public sealed class FulfillmentEventsHandler(
    IOptions<IntakeOptions> intake,
    CallbackAuthenticator callbacks,
    IOrderStore orders,
    IDeliveryStore deliveries,
    IEventDeliveryStore events,
    TimeProvider clock,
    ILogger<FulfillmentEventsHandler> logger)
{
    public const string SignatureHeader = CallbackAuthenticator.SignatureHeader;
    public const string Source = "fulfillment";
    public const string Recorded = "recorded";

    /// <summary>Longest accepted "eventId" (it becomes part of a storage key).</summary>
    public const int MaxEventIdChars = 200;

    /// <summary>Most lines one "short" may list.</summary>
    public const int MaxShortLines = 200;

    /// <summary>Largest quantity one short line may report.</summary>
    public const int MaxShortQuantity = 100_000;

    private const string AwaitingConfirmation = "awaiting-confirmation";

    private static readonly string[] Statuses =
        [FulfillmentConfirmation.Picked, FulfillmentConfirmation.Shipped, FulfillmentConfirmation.Rejected, FulfillmentConfirmation.Short, FulfillmentConfirmation.Cancelled];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IResult> PostAsync(string fulfillmentId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, intake.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.BadRequest("Body too large.");
        }

        var (signer, unauthorized) = callbacks.Authenticate(request, CallbackAuthenticator.FulfillmentEventsPath(fulfillmentId), body);
        if (unauthorized is not null)
        {
            return unauthorized;
        }

        FulfillmentConfirmation? evt;
        string? claimedId;
        try
        {
            evt = JsonSerializer.Deserialize<FulfillmentConfirmation>(body, Json);
            claimedId = JsonSerializer.Deserialize<EventIdField>(body, Json)?.EventId;
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"Body is not valid JSON: {ex.Message}");
        }

        if (evt is null || !Statuses.Contains(evt.Status))
        {
            return Problems.BadRequest($"\"status\" must be one of: {string.Join(", ", Statuses)}.");
        }

        if (evt.Status == FulfillmentConfirmation.Short && ShortLinesProblem(evt.ShortLines) is { } shortProblem)
        {
            return Problems.BadRequest(shortProblem);
        }

        var separator = fulfillmentId.LastIndexOf("-F", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return Problems.NotFound($"'{fulfillmentId}' is not a fulfillment id.");
        }

        if (claimedId?.Trim() is { Length: > MaxEventIdChars })
        {
            return Problems.BadRequest($"\"eventId\" must be at most {MaxEventIdChars} characters.");
        }

        var orderId = fulfillmentId[..separator];
        var eventId = string.IsNullOrWhiteSpace(claimedId) ? "sha256-" + Convert.ToHexStringLower(SHA256.HashData(body)) : claimedId.Trim();
        var deliveryId = $"{fulfillmentId}:{eventId}";
        var seen = await deliveries.GetAsync(Source, deliveryId, cancellationToken);
        if (seen is not null && seen.Outcome == DeliveryOutcomes.Accepted)
        {
            logger.LogInformation("Fulfillment {FulfillmentId} of order {OrderId}: event {EventId} is a duplicate", fulfillmentId, orderId, eventId);
            return Results.Ok(new FulfillmentEventResponse(eventId, DeliveryOutcomes.Duplicate, orderId, fulfillmentId));
        }

        var status = await workflows.GetStatusAsync(orderId, cancellationToken);
        if (status is null)
        {
            return Problems.NotFound($"No workflow for order '{orderId}'.");
        }

        if (status.IsTerminal)
        {
            return Problems.Conflict($"Order '{orderId}' workflow already ended ({status.RuntimeStatus}); the event was not applied.");
        }

        // Routing records every fulfillment before its pick list is sent, so a real callback always finds its row;
        // an event for any other id would wait in the workflow forever, unread.
        var record = await orders.GetAsync(orderId, cancellationToken);
        var fulfillment = record?.Fulfillments.FirstOrDefault(f => f.FulfillmentId == fulfillmentId);
        if (fulfillment is null)
        {
            return Problems.NotFound($"Order '{orderId}' has no fulfillment '{fulfillmentId}'.");
        }

        if (!callbacks.MayReportFor(signer!, fulfillment.Location))
        {
            logger.LogWarning("Fulfillment {FulfillmentId} of order {OrderId}: event signed with {Signer}, not its location's key; refused", fulfillmentId, orderId, signer);
            return CallbackAuthenticator.NotTheirs(signer!, fulfillmentId);
        }

        if (evt.Status == FulfillmentConfirmation.Short && ShortLinesBeyond(evt.ShortLines!, fulfillment) is { } beyond)
        {
            return Problems.BadRequest(beyond);
        }

        var now = clock.GetUtcNow();
        var delivery = new WebhookDelivery(Source, deliveryId, evt.Status, now, DeliveryOutcomes.Accepted, Recorded, orderId, Encoding.UTF8.GetString(body));
        if (evt.Status == FulfillmentConfirmation.Picked)
        {
            return await RecordPickedAsync(orderId, fulfillment, evt, eventId, delivery, cancellationToken);
        }

        var confirmation = evt with
        {
            FulfillmentId = fulfillmentId,
            ShortLines = evt.Status == FulfillmentConfirmation.Short ? evt.ShortLines : null,
        };
        await workflows.RaiseEventAsync(orderId, FulfillmentConfirmation.EventName(fulfillmentId), confirmation, cancellationToken);
        var first = await events.TryRecordAcceptedEventAsync(delivery with { Reason = DeliveryOutcomes.Accepted }, cancellationToken);
        logger.LogInformation("Fulfillment {FulfillmentId} of order {OrderId} reported {Status} (event {EventId})", fulfillmentId, orderId, evt.Status, eventId);
        return first
            ? Results.Accepted(ApiRoutes.OrderUrl(orderId), new FulfillmentEventResponse(eventId, DeliveryOutcomes.Accepted, orderId, fulfillmentId))
            : Results.Ok(new FulfillmentEventResponse(eventId, DeliveryOutcomes.Duplicate, orderId, fulfillmentId));
    }

    /// <summary>
    /// Picked moves an awaiting fulfillment to "picked" (the same write whoever makes it); later statuses stay. Only the
    /// caller that claims the dedupe record notes it on the timeline, so concurrent duplicates are noted once.
    /// </summary>
    private async Task<IResult> RecordPickedAsync(
        string orderId, FulfillmentRecord fulfillment, FulfillmentConfirmation evt, string eventId, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var applied = fulfillment.Status == AwaitingConfirmation;
        if (applied)
        {
            await orders.UpsertFulfillmentAsync(orderId, fulfillment with { Status = FulfillmentConfirmation.Picked }, cancellationToken);
        }

        if (!await events.TryRecordAcceptedEventAsync(delivery, cancellationToken))
        {
            logger.LogInformation("Fulfillment {FulfillmentId} of order {OrderId}: picked event {EventId} is a duplicate", fulfillment.FulfillmentId, orderId, eventId);
            return Results.Ok(new FulfillmentEventResponse(eventId, DeliveryOutcomes.Duplicate, orderId, fulfillment.FulfillmentId));
        }

        var at = evt.OccurredAt ?? delivery.ReceivedAt;
        await orders.AppendTimelineAsync(
            orderId,
            new TimelineEntry(delivery.ReceivedAt, "fulfillment", applied
                ? $"{fulfillment.FulfillmentId} was picked at {fulfillment.Location} ({at:u})."
                : $"{fulfillment.Location} reported {fulfillment.FulfillmentId} picked ({at:u}) while it is {fulfillment.Status}; recorded, not applied."),
            cancellationToken);
        logger.LogInformation("Fulfillment {FulfillmentId} of order {OrderId} reported picked (event {EventId})", fulfillment.FulfillmentId, orderId, eventId);
        return Results.Ok(new FulfillmentEventResponse(eventId, Recorded, orderId, fulfillment.FulfillmentId));
    }

    private static string? ShortLinesProblem(IReadOnlyList<FulfillmentLine>? lines)
    {
        if (lines is not { Count: > 0 } || lines.Any(l => string.IsNullOrWhiteSpace(l?.Sku) || l.Quantity <= 0))
        {
            return "\"short\" needs \"shortLines\": [{\"sku\": ..., \"quantity\": n}] with at least one line, each with a sku and a quantity above 0.";
        }

        if (lines.Count > MaxShortLines)
        {
            return $"\"shortLines\" has {lines.Count} lines; at most {MaxShortLines} are accepted.";
        }

        var index = lines.ToList().FindIndex(l => l.Quantity > MaxShortQuantity);
        return index >= 0 ? $"\"shortLines[{index}].quantity\" is {lines[index].Quantity}; at most {MaxShortQuantity} is accepted." : null;
    }

    private static string? ShortLinesBeyond(IReadOnlyList<FulfillmentLine> lines, FulfillmentRecord fulfillment)
    {
        foreach (var group in lines.GroupBy(l => l.Sku, StringComparer.Ordinal))
        {
            // Each line is at most MaxShortQuantity and there are at most MaxShortLines: the sums fit a long.
            var planned = fulfillment.Lines.Where(l => l.Sku == group.Key).Sum(l => (long)l.Quantity);
            var reported = group.Sum(l => (long)l.Quantity);
            if (reported > planned)
            {
                return $"\"shortLines\" reports {reported} x '{group.Key}' short, but {fulfillment.FulfillmentId} holds {planned}.";
            }
        }

        return null;
    }

    private sealed record EventIdField(string? EventId);
}
