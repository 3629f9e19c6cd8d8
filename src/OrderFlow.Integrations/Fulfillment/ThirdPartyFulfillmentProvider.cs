using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Security;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Fulfillment;

/// <summary>
/// Hands a fulfillment to a 3PL by POSTing it as JSON (order and fulfillment ids, lines, ship-to, label and tracking
/// when known, the callback URL) to the location's FulfillmentPartners EndpointUrl. The body is signed in
/// <see cref="SignatureHeader"/> (base64 HMAC-SHA256 with the location's key) and carries the dispatch's idempotency
/// key in <see cref="IdempotencyKeyHeader"/>, so the 3PL can drop a retried hand-off. The HttpClient retries 408, 429
/// (honoring Retry-After), 5xx and timeouts; any other 4xx is <see cref="ThirdPartyFulfillmentException"/>, not transient.
/// A cancellation is POSTed the same way (signed, Idempotency-Key from the order and fulfillment ids) to the location's
/// CancelUrl; the 3PL answers 200 {"status":"cancelled"}, 200 {"status":"shipped","trackingNumber":...} or 409 (the
/// parcel already left), or 202 (it confirms later through the signed fulfillment callback).
/// </summary>
public sealed partial class ThirdPartyFulfillmentProvider(
    IHttpClientFactory httpClients,
    FulfillmentHandoffReader handoffs,
    IOptions<FulfillmentPartnersOptions> partners,
    ILogger<ThirdPartyFulfillmentProvider> logger) : IFulfillmentProvider, IFulfillmentCanceller
{
    public const string HttpClientName = "OrderFlow.ThirdPartyFulfillment";
    public const string SignatureHeader = "X-OrderFlow-Signature";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The location's attempt timeout, read by the client's resilience pipeline.</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> AttemptTimeoutOption = new("OrderFlow.ThirdPartyFulfillment.AttemptTimeout");

    public async Task<string> DispatchAsync(FulfillmentDispatch dispatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        var settings = partners.Value;
        var partner = settings.Find(dispatch.Location);
        if (partner is not { EndpointUrl: { Length: > 0 } endpoint })
        {
            throw new InvalidOperationException($"Location '{dispatch.Location}' has no FulfillmentPartners:Locations entry with an EndpointUrl; fulfillment {dispatch.FulfillmentId} cannot be handed to its 3PL.");
        }

        var handoff = await handoffs.ReadAsync(dispatch, cancellationToken);
        var body = JsonSerializer.SerializeToUtf8Bytes(Body(handoff), IntegrationJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = Encoding.UTF8.WebName };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add(SignatureHeader, HmacSignature.Sign(body, settings.SecretFor(partner)));
        request.Headers.Add(IdempotencyKeyHeader, dispatch.IdempotencyKey);
        request.Options.Set(AttemptTimeoutOption, partner.Timeout);

        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            LogRefused(dispatch.OrderId, dispatch.FulfillmentId, dispatch.Location, status);
            throw new ThirdPartyFulfillmentException(
                status,
                $"3PL at '{dispatch.Location}' answered HTTP {status} to the hand-off of {dispatch.FulfillmentId}"
                + (status is 408 or 429 or >= 500 ? " after retries." : $" (not retried: the request was refused){Detail(text)}."));
        }

        var reference = Reference(text) ?? dispatch.IdempotencyKey;
        LogDispatched(dispatch.OrderId, dispatch.FulfillmentId, dispatch.Location, reference);
        return reference;
    }

    public async Task<LocationCancelAnswer> CancelAsync(FulfillmentCancellation cancellation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cancellation);
        ArgumentException.ThrowIfNullOrWhiteSpace(cancellation.IdempotencyKey);
        var settings = partners.Value;
        var partner = settings.Find(cancellation.Location);
        if (partner is not { CancelUrl: { Length: > 0 } cancelUrl })
        {
            throw new InvalidOperationException($"Location '{cancellation.Location}' has no FulfillmentPartners:Locations entry with a CancelUrl; the cancellation of {cancellation.FulfillmentId} cannot reach its 3PL.");
        }

        var endpoint = cancelUrl.Replace("{fulfillmentId}", Uri.EscapeDataString(cancellation.FulfillmentId), StringComparison.Ordinal);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new
            {
                orderId = cancellation.OrderId,
                fulfillmentId = cancellation.FulfillmentId,
                location = cancellation.Location,
                idempotencyKey = cancellation.IdempotencyKey,
                reason = cancellation.Reason,
                lines = cancellation.Lines.Select(l => new { sku = l.Sku, quantity = l.Quantity }),
                trackingNumber = cancellation.TrackingNumber,
                callbackUrl = handoffs.CallbackUrl(cancellation.FulfillmentId),
            },
            IntegrationJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = Encoding.UTF8.WebName };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add(SignatureHeader, HmacSignature.Sign(body, settings.SecretFor(partner)));
        request.Headers.Add(IdempotencyKeyHeader, cancellation.IdempotencyKey);
        request.Options.Set(AttemptTimeoutOption, partner.Timeout);

        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = (int)response.StatusCode;
        var answer = Field(text, "status")?.Trim().ToLowerInvariant();
        var tracking = Field(text, "trackingNumber", "tracking_number");
        LocationCancelAnswer result;
        if (status == 409 || (response.IsSuccessStatusCode && answer is "shipped" or "already-shipped" or "already_shipped"))
        {
            result = new LocationCancelAnswer(LocationCancelAnswer.AlreadyShipped, tracking, "the 3PL had already shipped it");
        }
        else if (response.IsSuccessStatusCode && answer is "cancelled" or "canceled")
        {
            result = new LocationCancelAnswer(LocationCancelAnswer.Cancelled);
        }
        else if (response.IsSuccessStatusCode)
        {
            // 202, or an answer without a final status: the 3PL confirms through the signed fulfillment callback.
            result = new LocationCancelAnswer(LocationCancelAnswer.Pending, null, answer);
        }
        else
        {
            LogCancelRefused(cancellation.OrderId, cancellation.FulfillmentId, cancellation.Location, status);
            throw new ThirdPartyFulfillmentException(
                status,
                $"3PL at '{cancellation.Location}' answered HTTP {status} to the cancellation of {cancellation.FulfillmentId}"
                + (status is 408 or 429 or >= 500 ? " after retries." : $" (not retried: the request was refused){Detail(text)}."));
        }

        LogCancelAnswered(cancellation.OrderId, cancellation.FulfillmentId, cancellation.Location, result.Outcome);
        return result;
    }

    private static object Body(FulfillmentHandoff handoff)
    {
        var d = handoff.Dispatch;
        var a = handoff.ShipTo;
        return new
        {
            orderId = d.OrderId,
            fulfillmentId = d.FulfillmentId,
            location = d.Location,
            idempotencyKey = d.IdempotencyKey,
            lines = d.Lines.Select(l => new { sku = l.Sku, quantity = l.Quantity }),
            shipTo = new { name = a.Name, line1 = a.Line1, line2 = a.Line2, city = a.City, province = a.Province, postalCode = a.PostalCode, countryCode = a.CountryCode, phone = a.Phone },
            label = handoff.TrackingNumber is null && handoff.LabelUrl is null
                ? null
                : new { carrier = handoff.Carrier, trackingNumber = handoff.TrackingNumber, labelUrl = handoff.LabelUrl },
            callbackUrl = handoff.CallbackUrl,
        };
    }

    /// <summary>The 3PL's own id for the hand-off ("reference" or "id" of a JSON answer), when it sent one.</summary>
    private static string? Reference(string text) => Field(text, "reference", "id");

    // Only the 3PL's error field (not the whole answer, which may echo the ship-to address), capped.
    private static string Detail(string text) =>
        Field(text, "error", "message", "detail", "title") is { Length: > 0 } error
            ? $": {(error.Length > 200 ? error[..200] + "..." : error)}"
            : string.Empty;

    private static string? Field(string text, params string[] names)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            foreach (var name in names)
            {
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    return value.ToString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (an empty 2xx, an HTML error page): nothing to read.
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: fulfillment {FulfillmentId} handed to the 3PL at {Location} as {Reference}")]
    private partial void LogDispatched(string orderId, string fulfillmentId, string location, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: the 3PL at {Location} answered {Outcome} to the cancellation of fulfillment {FulfillmentId}")]
    private partial void LogCancelAnswered(string orderId, string fulfillmentId, string location, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: the 3PL at {Location} answered HTTP {StatusCode} to the cancellation of fulfillment {FulfillmentId}")]
    private partial void LogCancelRefused(string orderId, string fulfillmentId, string location, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: the 3PL at {Location} answered HTTP {StatusCode} to the hand-off of fulfillment {FulfillmentId}")]
    private partial void LogRefused(string orderId, string fulfillmentId, string location, int statusCode);
}
