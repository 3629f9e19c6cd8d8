using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Models;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Cases;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Security;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// POST /api/webhooks/carrier: EasyPost tracker events. Verifies X-Hmac-Signature ("hmac-sha256-hex=" + hex HMAC-SHA256
/// of the raw body, keyed by the NFKD-normalized webhook secret, as EasyPost's client libraries check it), dedupes on
/// the event id, finds the fulfillment by tracking code, moves its status forward only, notes it on the order's
/// timeline and tells the customer (out for delivery, delivered, delayed) once per fulfillment and status. Every
/// delivery is recorded with its payload and outcome: rejected, ignored, unmatched or accepted.
/// </summary>
/// <remarks>
/// The status write and the customer email come before the event is recorded as accepted, so a failure there (storage,
/// email) answers 500 and EasyPost's redelivery processes it again; both are idempotent (same status: unchanged; the
/// email outbox sends once). The timeline note is written only by the caller whose record of the event is the first,
/// so concurrent duplicates note it once and the others answer "duplicate".
/// </remarks>
public sealed partial class CarrierWebhookHandler(
    IDeliveryStore deliveries,
    IEventDeliveryStore events,
    ITrackingLookup tracking,
    IOrderStore orders,
    ICustomerNotifier notifier,
    IExceptionQueue cases,
    IOptions<CarrierWebhookOptions> easyPost,
    IOptions<IntakeOptions> intake,
    TimeProvider clock,
    ILogger<CarrierWebhookHandler> logger)
{
    public const string Route = ApiRoutes.CarrierWebhook;
    public const string Source = "easypost";
    public const string SignatureHeader = "X-Hmac-Signature";
    public const string SignaturePrefix = "hmac-sha256-hex=";
    public const string TrackerUpdated = "tracker.updated";

    public const string Applied = "applied";
    public const string Unchanged = "unchanged";
    public const string Stale = "stale";
    public const string Ignored = "ignored";

    /// <summary>The step named on a delivery-exception case.</summary>
    public const string CaseStep = "carrier-tracking";

    public async Task<IResult> PostAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await RequestBody.ReadAsync(request, intake.Value.MaxBodyBytes, cancellationToken);
        var now = clock.GetUtcNow();
        if (body is null)
        {
            return RequestBody.TooLarge(intake.Value.MaxBodyBytes);
        }

        var raw = Encoding.UTF8.GetString(body);
        var claimed = Peek(raw);
        var label = claimed?.Id ?? $"missing-id-{now.UtcTicks}";
        if (!easyPost.Value.WebhookConfigured)
        {
            await Reject(label, claimed?.Description, now, DeliveryOutcomes.RejectedSignature, "EasyPost:WebhookSecret is not configured.", raw, cancellationToken);
            return Problems.Unavailable("Carrier webhooks are not configured (EasyPost:WebhookSecret).");
        }

        if (!VerifySignature(body, request.Headers[SignatureHeader].ToString(), easyPost.Value.WebhookSecret))
        {
            await Reject(label, claimed?.Description, now, DeliveryOutcomes.RejectedSignature, "HMAC signature missing or invalid.", raw, cancellationToken);
            LogRejected(label);
            return Problems.Unauthorized($"{SignatureHeader} is missing or does not match the body signed with the configured webhook secret.");
        }

        if (claimed is not { Id: { } eventId, Description: { } description })
        {
            await Reject(label, claimed?.Description, now, DeliveryOutcomes.RejectedMalformed, "Not an EasyPost event (id and description required).", raw, cancellationToken);
            return Problems.BadRequest("The body is not an EasyPost event with an id and a description.");
        }

        var seen = await deliveries.GetAsync(Source, eventId, cancellationToken);
        if (seen is not null && !seen.Outcome.StartsWith("rejected", StringComparison.Ordinal))
        {
            LogDuplicate(eventId);
            return Results.Ok(new CarrierEventResponse(eventId, DeliveryOutcomes.Duplicate, seen.OrderId, null));
        }

        if (description != TrackerUpdated || claimed.TrackingCode is null || TrackingProgress.FromEasyPost(claimed.Status) is not { } status)
        {
            var reason = description != TrackerUpdated ? $"Event {description} is not followed." : $"Tracker status '{claimed.Status}' is not followed.";
            return await Answer(new WebhookDelivery(Source, eventId, description, now, DeliveryOutcomes.Accepted, reason, null, raw), Ignored, null, cancellationToken);
        }

        var found = await tracking.FindByTrackingAsync(claimed.TrackingCode, cancellationToken);
        var record = found is null ? null : await orders.GetAsync(found.OrderId, cancellationToken);
        var fulfillment = record?.Fulfillments.FirstOrDefault(f => f.FulfillmentId == found!.FulfillmentId);
        if (found is null || fulfillment is null)
        {
            // Kept with its payload for a person to look at; a 2xx, so EasyPost does not keep resending it.
            LogUnmatched(eventId, claimed.Status ?? string.Empty);
            return await Answer(
                new WebhookDelivery(Source, eventId, description, now, DeliveryOutcomes.Unmatched, "No fulfillment carries this tracking code.", found?.OrderId, raw),
                DeliveryOutcomes.Unmatched,
                null,
                cancellationToken);
        }

        var orderId = found.OrderId;
        var disposition = await ApplyAsync(orderId, fulfillment, status, cancellationToken);
        var caseId = await OpenExceptionCaseAsync(record!, fulfillment, status, disposition, claimed, now, cancellationToken);
        if (disposition != Stale && TrackingProgress.MilestoneFor(status) is { } milestone)
        {
            try
            {
                await notifier.NotifyAsync(new CustomerNotification(orderId, milestone, fulfillment.FulfillmentId, status, Details(status, claimed)), cancellationToken);
            }
            catch (NotificationInFlightException)
            {
                // A concurrent delivery (this event again, or another with the same status) is sending that email now.
                // Not recorded: EasyPost's redelivery finds it a duplicate, or sends the email if that attempt failed.
                LogInFlight(eventId, orderId);
                return Problems.Conflict($"Event {eventId}: the {milestone} email for {fulfillment.FulfillmentId} is being sent by a concurrent delivery; retry later.");
            }
        }

        var delivery = new WebhookDelivery(Source, eventId, description, now, DeliveryOutcomes.Accepted, $"{status}: {disposition}", orderId, raw);
        if (!await events.TryRecordAcceptedEventAsync(delivery, cancellationToken))
        {
            LogDuplicate(eventId);
            return Results.Ok(new CarrierEventResponse(eventId, DeliveryOutcomes.Duplicate, orderId, fulfillment.FulfillmentId));
        }

        // A concurrent delivery of this event may have applied the status and then lost the race to record it: the one
        // that records the event notes the change unless the timeline already says so.
        var note = disposition == Unchanged && !await NotedAsync(orderId, fulfillment.FulfillmentId, status, cancellationToken) ? Applied : disposition;
        await NoteAsync(orderId, fulfillment, status, note, claimed, now, cancellationToken);
        if (caseId is not null && note == Applied)
        {
            await orders.AppendTimelineAsync(orderId, new TimelineEntry(now, "case", $"Case {caseId} opened ({ExceptionReason.DeliveryException} at {CaseStep})."), cancellationToken);
        }

        return Results.Ok(new CarrierEventResponse(eventId, disposition, orderId, fulfillment.FulfillmentId));
    }

    /// <summary>EasyPost's check: the header is "hmac-sha256-hex=" + the hex digest, keyed by the NFKD form of the secret.</summary>
    public static bool VerifySignature(ReadOnlySpan<byte> rawBody, string? header, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (string.IsNullOrWhiteSpace(header) || !header.Trim().StartsWith(SignaturePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return HmacSignature.VerifyHex(rawBody, header.Trim()[SignaturePrefix.Length..], secret.Normalize(NormalizationForm.FormKD));
    }

    /// <summary>Moves the fulfillment's status forward only (the same write whoever makes it) and says what it did.</summary>
    private async Task<string> ApplyAsync(string orderId, FulfillmentRecord fulfillment, string status, CancellationToken cancellationToken)
    {
        if (TrackingProgress.Advances(fulfillment.Status, status))
        {
            await orders.UpsertFulfillmentAsync(orderId, fulfillment with { Status = status }, cancellationToken);
            LogApplied(orderId, fulfillment.FulfillmentId, fulfillment.Status, status);
            return Applied;
        }

        if (fulfillment.Status == status)
        {
            return Unchanged;
        }

        LogStale(orderId, fulfillment.FulfillmentId, fulfillment.Status, status);
        return Stale;
    }

    /// <summary>
    /// A parcel the carrier will not deliver needs a person: opens a DeliveryException case (no workflow waits; the order's
    /// may have ended) unless the fulfillment's current exception is already noted (its case was opened before it was).
    /// The id counts the fulfillment's exception episodes, so a redelivered or concurrent event opens the same case and a
    /// later exception after the parcel moved again opens a new one. Returns the case id, or null when none was due.
    /// </summary>
    private async Task<string?> OpenExceptionCaseAsync(
        OrderRecord record, FulfillmentRecord fulfillment, string status, string disposition, TrackerEvent tracker, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (status != TrackingProgress.DeliveryException || disposition == Stale)
        {
            return null;
        }

        var applied = record.Timeline
            .Where(t => t.Kind == "tracking" && t.Message.StartsWith($"{fulfillment.FulfillmentId} is ", StringComparison.Ordinal))
            .Select(t => t.Message)
            .ToList();
        var exceptionNote = AppliedNote(fulfillment.FulfillmentId, status);
        if (applied.Count > 0 && applied[^1].StartsWith(exceptionNote, StringComparison.Ordinal))
        {
            return null;
        }

        var episode = applied.Count(m => m.StartsWith(exceptionNote, StringComparison.Ordinal)) + 1;
        var caseId = $"{record.Order.OrderId}-delivery-{fulfillment.FulfillmentId}-{episode}";
        var detail = string.IsNullOrWhiteSpace(tracker.StatusDetail) ? tracker.Status : $"{tracker.Status}/{tracker.StatusDetail}";
        var error = $"The carrier reported {detail} for fulfillment {fulfillment.FulfillmentId} ({fulfillment.Carrier ?? "carrier"} tracking {tracker.TrackingCode}): "
            + "the parcel is not being delivered. Contact the carrier or the customer (reship or refund through their own routes), then approve to acknowledge.";
        await cases.OpenAsync(
            new OpenCaseRequest(
                caseId, record.Order.OrderId, ExceptionReason.DeliveryException, CaseStep, error, CasePolicy.AllowedResolutions(ExceptionReason.DeliveryException),
                now + OpenCaseRequest.NoWorkflowDeadline, OpenCaseRequest.NoWorkflow),
            cancellationToken);
        LogCaseOpened(record.Order.OrderId, caseId, fulfillment.FulfillmentId);
        await OpenCaseActivity.AlertBestEffortAsync(cases, record.Order.OrderId, caseId, clock, logger, cancellationToken);
        return caseId;
    }

    private static string AppliedNote(string fulfillmentId, string status) => $"{fulfillmentId} is {status} (";

    private async Task<bool> NotedAsync(string orderId, string fulfillmentId, string status, CancellationToken cancellationToken)
    {
        var record = await orders.GetAsync(orderId, cancellationToken);
        var prefix = AppliedNote(fulfillmentId, status);
        return record is not null && record.Timeline.Any(t => t.Kind == "tracking" && t.Message.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>The timeline note of an applied or stale event (an unchanged one adds nothing).</summary>
    private Task NoteAsync(string orderId, FulfillmentRecord fulfillment, string status, string disposition, TrackerEvent tracker, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var detail = string.IsNullOrWhiteSpace(tracker.StatusDetail) ? tracker.Status : $"{tracker.Status}/{tracker.StatusDetail}";
        var message = disposition switch
        {
            Applied => $"{AppliedNote(fulfillment.FulfillmentId, status)}carrier: {detail}).",
            Stale => $"Carrier reported {status} ({detail}) for {fulfillment.FulfillmentId}, which is already {fulfillment.Status}; recorded, not applied.",
            _ => null,
        };
        return message is null ? Task.CompletedTask : orders.AppendTimelineAsync(orderId, new TimelineEntry(now, "tracking", message), cancellationToken);
    }

    private static Dictionary<string, string>? Details(string status, TrackerEvent tracker) => status switch
    {
        TrackingProgress.DeliveryException => new() { [CustomerNotification.DetailKeys.Reason] = "carrier-late" },
        TrackingProgress.Delivered when tracker.LastScanAt is { } at => new() { [CustomerNotification.DetailKeys.OccurredOn] = at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
        _ => null,
    };

    private async Task<IResult> Answer(WebhookDelivery delivery, string disposition, string? fulfillmentId, CancellationToken cancellationToken)
    {
        var first = await events.TryRecordAcceptedEventAsync(delivery, cancellationToken);
        return Results.Ok(new CarrierEventResponse(delivery.DeliveryId, first ? disposition : DeliveryOutcomes.Duplicate, delivery.OrderId, fulfillmentId));
    }

    private Task Reject(string deliveryId, string? topic, DateTimeOffset now, string outcome, string reason, string raw, CancellationToken cancellationToken) =>
        deliveries.RecordRejectedAsync(new WebhookDelivery(Source, deliveryId, topic ?? "unknown", now, outcome, reason, null, raw), cancellationToken);

    /// <summary>The event's id and description and, for a Tracker result, its tracking code, status and latest scan time; null when not JSON.</summary>
    private static TrackerEvent? Peek(string raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var result = root.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
            DateTimeOffset? lastScan = null;
            if (result.ValueKind == JsonValueKind.Object && result.TryGetProperty("tracking_details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                lastScan = details.EnumerateArray()
                    .Select(d => DateTimeOffset.TryParse(String(d, "datetime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null)
                    .Max();
            }

            return new TrackerEvent(
                String(root, "id"),
                String(root, "description"),
                String(result, "tracking_code") is { Length: > 0 } code ? code : null,
                String(result, "status"),
                String(result, "status_detail"),
                lastScan);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record TrackerEvent(string? Id, string? Description, string? TrackingCode, string? Status, string? StatusDetail, DateTimeOffset? LastScanAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected EasyPost delivery {DeliveryId}: bad signature")]
    private partial void LogRejected(string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: EasyPost event {EventId} answered 409, its email is being sent by a concurrent delivery")]
    private partial void LogInFlight(string eventId, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: delivery-exception case {CaseId} opened for fulfillment {FulfillmentId}")]
    private partial void LogCaseOpened(string orderId, string caseId, string fulfillmentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate EasyPost event {EventId}")]
    private partial void LogDuplicate(string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "EasyPost event {EventId} ({Status}) names a tracking code no fulfillment carries; recorded as unmatched")]
    private partial void LogUnmatched(string eventId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: fulfillment {FulfillmentId} moved from {From} to {To} by the carrier")]
    private partial void LogApplied(string orderId, string fulfillmentId, string from, string to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: carrier reported {To} for fulfillment {FulfillmentId} after {From}; recorded, not applied")]
    private partial void LogStale(string orderId, string fulfillmentId, string from, string to);
}
