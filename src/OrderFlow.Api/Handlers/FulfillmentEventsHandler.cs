using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Security;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// POST /api/fulfillments/{fulfillmentId}/events: a location's signed word on a fulfillment. "shipped", "rejected" and
/// "short" (with the short lines) go to the order's workflow; "picked" is noted on the fulfillment and the timeline
/// only. Deduped on the body's "eventId" (or, without one, on the body's hash): a repeat answers "duplicate" and does
/// nothing. An event for an unknown order or fulfillment is refused, never dropped silently.
/// </summary>
/// <remarks>
/// The event is recorded as processed only after it was applied, so a failure answers 500 and the location's retry
/// applies it; a repeat that slips past the check is answered "duplicate" by the record itself.
/// </remarks>
public sealed class FulfillmentEventsHandler(
    IOptions<IntakeOptions> intake,
    IOrderStore orders,
    IDeliveryStore deliveries,
    IEventDeliveryStore events,
    TimeProvider clock,
    ILogger<FulfillmentEventsHandler> logger)
{
    public const string SignatureHeader = "X-OrderFlow-Signature";
    public const string Source = "fulfillment";
    public const string Recorded = "recorded";
    private const string AwaitingConfirmation = "awaiting-confirmation";

    private static readonly string[] Statuses =
        [FulfillmentConfirmation.Picked, FulfillmentConfirmation.Shipped, FulfillmentConfirmation.Rejected, FulfillmentConfirmation.Short];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IResult> PostAsync(string fulfillmentId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, intake.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.BadRequest("Body too large.");
        }

        if (!HmacSignature.Verify(body, request.Headers[SignatureHeader].ToString(), intake.Value.FulfillmentCallbackSecret))
        {
            return Problems.Unauthorized($"{SignatureHeader} is missing or does not match the body.");
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

        if (evt.Status == FulfillmentConfirmation.Short && ShortLinesBeyond(evt.ShortLines!, fulfillment) is { } beyond)
        {
            return Problems.BadRequest(beyond);
        }

        var now = clock.GetUtcNow();
        var outcome = evt.Status == FulfillmentConfirmation.Picked ? Recorded : DeliveryOutcomes.Accepted;
        if (evt.Status == FulfillmentConfirmation.Picked)
        {
            await RecordPickedAsync(orderId, fulfillment, evt, now, cancellationToken);
        }
        else
        {
            var confirmation = evt with
            {
                FulfillmentId = fulfillmentId,
                ShortLines = evt.Status == FulfillmentConfirmation.Short ? evt.ShortLines : null,
            };
            await workflows.RaiseEventAsync(orderId, FulfillmentConfirmation.EventName(fulfillmentId), confirmation, cancellationToken);
        }

        var first = await events.TryRecordAcceptedEventAsync(
            new WebhookDelivery(Source, deliveryId, evt.Status, now, DeliveryOutcomes.Accepted, outcome, orderId, Encoding.UTF8.GetString(body)),
            cancellationToken);
        logger.LogInformation("Fulfillment {FulfillmentId} of order {OrderId} reported {Status} (event {EventId})", fulfillmentId, orderId, evt.Status, eventId);
        if (!first)
        {
            return Results.Ok(new FulfillmentEventResponse(eventId, DeliveryOutcomes.Duplicate, orderId, fulfillmentId));
        }

        var response = new FulfillmentEventResponse(eventId, outcome, orderId, fulfillmentId);
        return outcome == Recorded ? Results.Ok(response) : Results.Accepted(ApiRoutes.OrderUrl(orderId), response);
    }

    /// <summary>Picked moves an awaiting fulfillment to "picked"; later statuses stay (the note still lands on the timeline).</summary>
    private async Task RecordPickedAsync(string orderId, FulfillmentRecord fulfillment, FulfillmentConfirmation evt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var applied = fulfillment.Status == AwaitingConfirmation;
        if (applied)
        {
            await orders.UpsertFulfillmentAsync(orderId, fulfillment with { Status = FulfillmentConfirmation.Picked }, cancellationToken);
        }

        var at = evt.OccurredAt ?? now;
        await orders.AppendTimelineAsync(
            orderId,
            new TimelineEntry(now, "fulfillment", applied
                ? $"{fulfillment.FulfillmentId} was picked at {fulfillment.Location} ({at:u})."
                : $"{fulfillment.Location} reported {fulfillment.FulfillmentId} picked ({at:u}) while it is {fulfillment.Status}; recorded, not applied."),
            cancellationToken);
    }

    private static string? ShortLinesProblem(IReadOnlyList<FulfillmentLine>? lines) =>
        lines is not { Count: > 0 } || lines.Any(l => string.IsNullOrWhiteSpace(l?.Sku) || l.Quantity <= 0)
            ? "\"short\" needs \"shortLines\": [{\"sku\": ..., \"quantity\": n}] with at least one line, each with a sku and a quantity above 0."
            : null;

    private static string? ShortLinesBeyond(IReadOnlyList<FulfillmentLine> lines, FulfillmentRecord fulfillment)
    {
        foreach (var group in lines.GroupBy(l => l.Sku, StringComparer.Ordinal))
        {
            var planned = fulfillment.Lines.Where(l => l.Sku == group.Key).Sum(l => l.Quantity);
            if (group.Sum(l => l.Quantity) > planned)
            {
                return $"\"shortLines\" reports {group.Sum(l => l.Quantity)} x '{group.Key}' short, but {fulfillment.FulfillmentId} holds {planned}.";
            }
        }

        return null;
    }

    private sealed record EventIdField(string? EventId);
}
