using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrderFlow.Api.Models;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// Applies a location's word on a fulfillment, whoever carried it: the signed callback
/// (<see cref="FulfillmentEventsHandler"/>) and the pick-and-pack page (<see cref="OrderFlow.Api.Cases.PickPackHandler"/>)
/// both hand it the event's JSON body, so the rules and the dedupe are the same. "shipped", "rejected", "short" (with the
/// short lines) and "cancelled" go to the order's workflow; "picked" is noted on the fulfillment and the timeline only.
/// Deduped on the body's "eventId" (or, without one, on the body's hash): a repeat answers "duplicate" and does nothing.
/// The pick list of an own warehouse follows the answer (<see cref="IPickListStore"/>).
/// </summary>
/// <remarks>
/// Checks in order: the body, the fulfillment id, the dedupe record, the workflow, the fulfillment on the order, then
/// that the reporter may report for the fulfillment's location. The workflow event is recorded as processed only after it
/// was raised, so a failure throws and a retry applies it. "picked" claims its dedupe record before it writes the
/// timeline note, so concurrent duplicates note it once and answer "duplicate".
/// </remarks>
public sealed class FulfillmentEventProcessor(
    IOrderStore orders,
    IDeliveryStore deliveries,
    IEventDeliveryStore events,
    IPickListStore picks,
    TimeProvider clock,
    ILogger<FulfillmentEventProcessor> logger)
{
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

    /// <summary>
    /// Applies the event in <paramref name="body"/> to <paramref name="fulfillmentId"/>; <paramref name="mayReportFor"/>
    /// says whether the reporter may speak for the fulfillment's location (checked once the fulfillment is found).
    /// </summary>
    public async Task<FulfillmentEventOutcome> ApplyAsync(
        string fulfillmentId, byte[] body, Func<string, bool> mayReportFor, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(mayReportFor);
        ArgumentNullException.ThrowIfNull(workflows);
        FulfillmentConfirmation? evt;
        string? claimedId;
        try
        {
            evt = JsonSerializer.Deserialize<FulfillmentConfirmation>(body, Json);
            claimedId = JsonSerializer.Deserialize<EventIdField>(body, Json)?.EventId;
        }
        catch (JsonException ex)
        {
            return FulfillmentEventOutcome.Refused(StatusCodes.Status400BadRequest, $"Body is not valid JSON: {ex.Message}");
        }

        if (evt is null || !Statuses.Contains(evt.Status))
        {
            return FulfillmentEventOutcome.Refused(StatusCodes.Status400BadRequest, $"\"status\" must be one of: {string.Join(", ", Statuses)}.");
        }

        if (evt.Status == FulfillmentConfirmation.Short && ShortLinesProblem(evt.ShortLines) is { } shortProblem)
        {
            return FulfillmentEventOutcome.Refused(StatusCodes.Status400BadRequest, shortProblem);
        }

        var separator = fulfillmentId.LastIndexOf("-F", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return FulfillmentEventOutcome.Refused(StatusCodes.Status404NotFound, $"'{fulfillmentId}' is not a fulfillment id.");
        }

        if (claimedId?.Trim() is { Length: > MaxEventIdChars })
        {
            return FulfillmentEventOutcome.Refused(StatusCodes.Status400BadRequest, $"\"eventId\" must be at most {MaxEventIdChars} characters.");
        }

        var orderId = fulfillmentId[..separator];
        var eventId = string.IsNullOrWhiteSpace(claimedId) ? "sha256-" + Convert.ToHexStringLower(SHA256.HashData(body)) : claimedId.Trim();
        var deliveryId = $"{fulfillmentId}:{eventId}";
        var seen = await deliveries.GetAsync(Source, deliveryId, cancellationToken);
        if (seen is not null && seen.Outcome == DeliveryOutcomes.Accepted)
        {
            logger.LogInformation("Fulfillment {FulfillmentId} of order {OrderId}: event {EventId} is a duplicate", fulfillmentId, orderId, eventId);
            return FulfillmentEventOutcome.Answered(StatusCodes.Status200OK, new FulfillmentEventResponse(eventId, DeliveryOutcomes.Duplicate, orderId, fulfillmentId));
        }

        var status = await workflows.GetStatusAsync(orderId, cancellationToken);
        if (status is null)
        {
            return FulfillmentEventOutcome.Refused(StatusCodes.Status404NotFound, $"No workflow for order '{orderId}'.");
        }

        if (status.IsTerminal)
        {
            return FulfillmentEventOutcome.Refused(StatusCodes.Status409Conflict, $"Order '{orderId}' workflow already ended ({status.RuntimeStatus}); the event was not applied.");
        }

        // Routing records every fulfillment before its pick list is sent, so a real callback always finds its row;
        // an event for any other id would wait in the workflow forever, unread.
        var record = await orders.GetAsync(orderId, cancellationToken);
        var fulfillment = record?.Fulfillments.FirstOrDefault(f => f.FulfillmentId == fulfillmentId);
        if (fulfillment is null)
        {
            return FulfillmentEventOutcome.Refused(StatusCodes.Status404NotFound, $"Order '{orderId}' has no fulfillment '{fulfillmentId}'.");
        }

        if (!mayReportFor(fulfillment.Location))
        {
            return FulfillmentEventOutcome.NotTheirs(fulfillmentId);
        }

        if (evt.Status == FulfillmentConfirmation.Short && ShortLinesBeyond(evt.ShortLines!, fulfillment) is { } beyond)
        {
            return FulfillmentEventOutcome.Refused(StatusCodes.Status400BadRequest, beyond);
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
        await workflows.RaiseConfirmationAsync(orderId, confirmation, cancellationToken);
        await picks.RecordStatusAsync(fulfillment.Location, fulfillmentId, PickStatusOf(evt.Status), cancellationToken);
        var first = await events.TryRecordAcceptedEventAsync(delivery with { Reason = DeliveryOutcomes.Accepted }, cancellationToken);
        logger.LogInformation("Fulfillment {FulfillmentId} of order {OrderId} reported {Status} (event {EventId})", fulfillmentId, orderId, evt.Status, eventId);
        return first
            ? FulfillmentEventOutcome.Answered(StatusCodes.Status202Accepted, new FulfillmentEventResponse(eventId, DeliveryOutcomes.Accepted, orderId, fulfillmentId))
            : FulfillmentEventOutcome.Answered(StatusCodes.Status200OK, new FulfillmentEventResponse(eventId, DeliveryOutcomes.Duplicate, orderId, fulfillmentId));
    }

    /// <summary>
    /// Picked moves an awaiting fulfillment to "picked" (the same write whoever makes it); later statuses stay. Only the
    /// caller that claims the dedupe record notes it on the timeline, so concurrent duplicates are noted once.
    /// </summary>
    private async Task<FulfillmentEventOutcome> RecordPickedAsync(
        string orderId, FulfillmentRecord fulfillment, FulfillmentConfirmation evt, string eventId, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var applied = fulfillment.Status == AwaitingConfirmation;
        if (applied)
        {
            await orders.UpsertFulfillmentAsync(orderId, fulfillment with { Status = FulfillmentConfirmation.Picked }, cancellationToken);
            await picks.RecordStatusAsync(fulfillment.Location, fulfillment.FulfillmentId, PickListEntry.Picked, cancellationToken);
        }

        if (!await events.TryRecordAcceptedEventAsync(delivery, cancellationToken))
        {
            logger.LogInformation("Fulfillment {FulfillmentId} of order {OrderId}: picked event {EventId} is a duplicate", fulfillment.FulfillmentId, orderId, eventId);
            return FulfillmentEventOutcome.Answered(StatusCodes.Status200OK, new FulfillmentEventResponse(eventId, DeliveryOutcomes.Duplicate, orderId, fulfillment.FulfillmentId));
        }

        var at = evt.OccurredAt ?? delivery.ReceivedAt;
        await orders.AppendTimelineAsync(
            orderId,
            new TimelineEntry(delivery.ReceivedAt, "fulfillment", applied
                ? $"{fulfillment.FulfillmentId} was picked at {fulfillment.Location} ({at:u})."
                : $"{fulfillment.Location} reported {fulfillment.FulfillmentId} picked ({at:u}) while it is {fulfillment.Status}; recorded, not applied."),
            cancellationToken);
        logger.LogInformation("Fulfillment {FulfillmentId} of order {OrderId} reported picked (event {EventId})", fulfillment.FulfillmentId, orderId, eventId);
        return FulfillmentEventOutcome.Answered(StatusCodes.Status200OK, new FulfillmentEventResponse(eventId, Recorded, orderId, fulfillment.FulfillmentId));
    }

    /// <summary>The pick list's status after the workflow was told: the location's word, "cancelled" read as stopped.</summary>
    private static string PickStatusOf(string status) => status == FulfillmentConfirmation.Cancelled ? PickListEntry.Stopped : status;

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
