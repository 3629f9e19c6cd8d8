using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Common;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Carrier;

/// <summary>
/// Labels through EasyPost (REST v2, Basic auth with the API key): create a shipment (to = the order's address, from =
/// the location's configured address, parcel from configuration, reference = the idempotency key), pick a rate by the
/// store's rule (<see cref="EasyPostRateSelector"/>), buy it, and return carrier, service, tracking code, the tracker's
/// public URL, the label URL and the rate as Money. The HttpClient retries 429, 5xx and timeouts (standard resilience).
/// EasyPost address errors (422 ADDRESS.*, or a failed delivery verification on the shipment) become
/// <see cref="CarrierAddressRejectedException"/>; other refusals <see cref="EasyPostApiException"/>.
/// </summary>
/// <remarks>
/// Idempotency: EasyPost documents no idempotency header for POST /v2/shipments or /buy, and a shipment's "reference" is
/// only a label (GET /v2/shipments filters by dates, ids and purchase state, not by reference), so the key -> shipment
/// id mapping is kept in our own table
/// (<see cref="EasyPostShipmentIndex"/>), written right after the shipment is created and before anything is bought.
/// A retry with the same key reads that shipment: already bought, its label is returned; not yet, it is bought then. A
/// shipment carries at most one label (EasyPost refuses a second buy), so a buy retried after a lost answer ends in an
/// error that is settled by reading the shipment's label. A crash between create and index, or a create retried after
/// a lost answer, costs only an unbought shipment, which EasyPost never charges for.
/// </remarks>
public sealed partial class EasyPostCarrierGateway(
    IHttpClientFactory httpClients,
    EasyPostShipmentIndex index,
    IOptions<EasyPostOptions> options,
    ILogger<EasyPostCarrierGateway> logger) : ICarrierGateway
{
    public const string HttpClientName = "OrderFlow.EasyPost";

    // Property names as written (EasyPost's snake_case), nulls left out (an absent street2, state or phone).
    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = null,
    };

    public async Task<ShippingLabel> BuyLabelAsync(LabelRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        var settings = options.Value;
        var http = httpClients.CreateClient(HttpClientName);

        JsonElement shipment;
        var shipmentId = await index.FindAsync(request.IdempotencyKey, cancellationToken);
        if (shipmentId is null)
        {
            var created = await SendAsync(http, HttpMethod.Post, "v2/shipments", new { shipment = ShipmentBody(request, settings) }, cancellationToken);
            var createdId = String(created, "id") ?? throw new InvalidDataException("EasyPost created a shipment without an id.");
            shipmentId = await index.AddAsync(request.IdempotencyKey, createdId, request.OrderId, request.FulfillmentId, cancellationToken);
            shipment = shipmentId == createdId ? created : await GetShipmentAsync(http, shipmentId, cancellationToken);
            LogCreated(request.OrderId, request.FulfillmentId, shipmentId);
        }
        else
        {
            shipment = await GetShipmentAsync(http, shipmentId, cancellationToken);
        }

        if (TryReadLabel(shipment, out var existing))
        {
            LogAlreadyBought(request.OrderId, request.FulfillmentId, shipmentId, existing.TrackingNumber);
            return existing;
        }

        EnsureDeliverable(shipment);
        var rates = ReadRates(shipment);
        var rate = EasyPostRateSelector.Select(rates, settings) ?? throw new EasyPostRateUnavailableException(
            $"No EasyPost rate for fulfillment {request.FulfillmentId} fits the rule (within {settings.MaxDeliveryDays} days, fallback {settings.Fallback}; "
            + $"{rates.Count} rate(s) quoted{Messages(shipment)}).");

        var bought = await BuyAsync(http, shipmentId, rate, cancellationToken);
        if (!TryReadLabel(bought, out var label))
        {
            throw new InvalidDataException($"EasyPost bought shipment {shipmentId} but returned no label or tracking code.");
        }

        LogBought(request.OrderId, request.FulfillmentId, shipmentId, label.Carrier, label.Service, label.TrackingNumber, label.Cost.MinorUnits, label.Cost.Currency);
        return label;
    }

    /// <summary>
    /// Voids a label through EasyPost's refund (POST /v2/shipments/{id}/refund, answered with the shipment and its
    /// refund_status: submitted, refunded, rejected or not_applicable). The shipment is the one recorded for the
    /// fulfillment whose tracking code is the label's. Idempotent: a shipment that already has a refund_status is not
    /// refunded again (its status is returned), and a refusal of a repeated request is settled by reading the shipment.
    /// Any other refusal (a scanned label, past the carrier's window) is <see cref="LabelVoidResult.Rejected"/> with
    /// EasyPost's message; 429, 5xx and timeouts throw (the activity retries).
    /// </summary>
    public async Task<LabelVoidResult> VoidLabelAsync(LabelVoidRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.TrackingNumber);
        var http = httpClients.CreateClient(HttpClientName);
        string? shipmentId = null;
        JsonElement shipment = default;
        foreach (var candidate in await index.FindForFulfillmentAsync(request.OrderId, request.FulfillmentId, cancellationToken))
        {
            var current = await GetShipmentAsync(http, candidate, cancellationToken);
            if (string.Equals(String(current, "tracking_code"), request.TrackingNumber, StringComparison.Ordinal))
            {
                (shipmentId, shipment) = (candidate, current);
                break;
            }
        }

        if (shipmentId is null)
        {
            return new LabelVoidResult(LabelVoidResult.Rejected, $"no EasyPost shipment of {request.FulfillmentId} carries tracking code {request.TrackingNumber}");
        }

        if (String(shipment, "refund_status") is { Length: > 0 } earlier)
        {
            LogVoidAlreadyRequested(request.OrderId, request.FulfillmentId, shipmentId, earlier);
            return new LabelVoidResult(earlier);
        }

        JsonElement refunded;
        try
        {
            refunded = await SendAsync(http, HttpMethod.Post, $"v2/shipments/{Uri.EscapeDataString(shipmentId)}/refund", null, cancellationToken);
        }
        catch (EasyPostApiException ex) when (!ex.IsTransient)
        {
            // A refund repeated after its answer was lost is refused: the shipment then carries the first one's status.
            var current = await GetShipmentAsync(http, shipmentId, cancellationToken);
            if (String(current, "refund_status") is { Length: > 0 } status)
            {
                return new LabelVoidResult(status);
            }

            LogVoidRefused(request.OrderId, request.FulfillmentId, shipmentId, ex.StatusCode);
            return new LabelVoidResult(LabelVoidResult.Rejected, ex.Message);
        }

        var result = new LabelVoidResult(String(refunded, "refund_status") ?? LabelVoidResult.Submitted);
        LogVoided(request.OrderId, request.FulfillmentId, shipmentId, result.Status);
        return result;
    }

    /// <summary>The parcel for a fulfillment: configured dimensions; weight from SKU weights when any are configured.</summary>
    private static object Parcel(LabelRequest request, EasyPostOptions settings)
    {
        var parcel = settings.Parcel ?? new EasyPostParcelOptions();
        var weights = settings.SkuWeights();
        var weight = weights.Count == 0
            ? parcel.WeightOz
            : request.Lines.Sum(l => l.Quantity * (weights.TryGetValue(l.Sku, out var w) ? w : parcel.WeightOz));
        return new { length = parcel.LengthIn, width = parcel.WidthIn, height = parcel.HeightIn, weight = Math.Round(weight, 1) };
    }

    private static object ShipmentBody(LabelRequest request, EasyPostOptions settings)
    {
        var from = (settings.FromAddresses ?? []).FirstOrDefault(a => string.Equals(a.Location, request.FromLocation, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"EasyPost:FromAddresses has no ship-from address for location {request.FromLocation}.");
        var to = request.ShipTo;
        return new
        {
            reference = request.IdempotencyKey,
            to_address = new { name = to.Name, street1 = to.Line1, street2 = to.Line2, city = to.City, state = to.Province, zip = to.PostalCode, country = to.CountryCode, phone = to.Phone },
            from_address = new
            {
                name = Blank(from.Name), company = Blank(from.Company), street1 = from.Street1, street2 = Blank(from.Street2),
                city = from.City, state = Blank(from.State), zip = from.Zip, country = from.Country, phone = Blank(from.Phone),
            },
            parcel = Parcel(request, settings),
        };
    }

    private async Task<JsonElement> BuyAsync(HttpClient http, string shipmentId, EasyPostRate rate, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(http, HttpMethod.Post, $"v2/shipments/{Uri.EscapeDataString(shipmentId)}/buy", new { rate = new { id = rate.Id } }, cancellationToken);
        }
        catch (EasyPostApiException ex) when (!ex.IsTransient)
        {
            // A buy retried after its answer was lost is refused (the shipment already has postage): the label is there.
            var current = await GetShipmentAsync(http, shipmentId, cancellationToken);
            if (TryReadLabel(current, out _))
            {
                return current;
            }

            throw;
        }
    }

    private static Task<JsonElement> GetShipmentAsync(HttpClient http, string shipmentId, CancellationToken cancellationToken) =>
        SendAsync(http, HttpMethod.Get, $"v2/shipments/{Uri.EscapeDataString(shipmentId)}", null, cancellationToken);

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            message.Content = JsonContent.Create(body, options: RequestJson);
        }

        using var response = await http.SendAsync(message, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new EasyPostApiException((int)response.StatusCode, null, $"EasyPost answered HTTP {(int)response.StatusCode} to {method} /{path} with a body that is not JSON: {ex.Message}");
        }

        if (response.IsSuccessStatusCode)
        {
            return root;
        }

        var status = (int)response.StatusCode;
        var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        var code = error.ValueKind == JsonValueKind.Object ? String(error, "code") : null;
        var detail = Describe(error);
        if (status == 422 && code is not null && code.StartsWith("ADDRESS.", StringComparison.OrdinalIgnoreCase))
        {
            throw new CarrierAddressRejectedException($"EasyPost rejected the address ({code}): {detail}");
        }

        throw new EasyPostApiException(status, code, $"EasyPost answered HTTP {status}{(code is null ? string.Empty : " " + code)} to {method} /{path}: {detail}");
    }

    /// <summary>A failed delivery verification on the ship-to address (present when the account verifies addresses).</summary>
    private static void EnsureDeliverable(JsonElement shipment)
    {
        if (shipment.TryGetProperty("to_address", out var to) && to.ValueKind == JsonValueKind.Object
            && to.TryGetProperty("verifications", out var verifications) && verifications.ValueKind == JsonValueKind.Object
            && verifications.TryGetProperty("delivery", out var delivery) && delivery.ValueKind == JsonValueKind.Object
            && delivery.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.False)
        {
            throw new CarrierAddressRejectedException($"EasyPost could not verify the delivery address: {Describe(delivery)}");
        }
    }

    private static List<EasyPostRate> ReadRates(JsonElement shipment)
    {
        var rates = new List<EasyPostRate>();
        if (!shipment.TryGetProperty("rates", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return rates;
        }

        foreach (var r in array.EnumerateArray())
        {
            if (ToRate(r) is { } rate)
            {
                rates.Add(rate);
            }
        }

        return rates;
    }

    private static EasyPostRate? ToRate(JsonElement r)
    {
        var id = String(r, "id");
        var currency = String(r, "currency")?.ToUpperInvariant();
        if (id is null || currency is null || !Currencies.TryParseMinorUnits(String(r, "rate"), currency, out var minor))
        {
            return null;
        }

        int? days = r.TryGetProperty("delivery_days", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var n) ? n : null;
        return new EasyPostRate(id, String(r, "carrier") ?? string.Empty, String(r, "service") ?? string.Empty, new Money(minor, currency), days);
    }

    private static bool TryReadLabel(JsonElement shipment, out ShippingLabel label)
    {
        label = null!;
        var tracking = String(shipment, "tracking_code");
        var labelUrl = shipment.TryGetProperty("postage_label", out var postage) && postage.ValueKind == JsonValueKind.Object ? String(postage, "label_url") : null;
        if (string.IsNullOrWhiteSpace(tracking) || string.IsNullOrWhiteSpace(labelUrl)
            || !shipment.TryGetProperty("selected_rate", out var selected) || selected.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var rate = ToRate(selected) ?? throw new InvalidDataException("EasyPost's selected_rate has no readable amount and currency.");
        var publicUrl = shipment.TryGetProperty("tracker", out var tracker) && tracker.ValueKind == JsonValueKind.Object ? String(tracker, "public_url") : null;
        label = new ShippingLabel(rate.Carrier, rate.Service, tracking, publicUrl ?? string.Empty, labelUrl, rate.Cost);
        return true;
    }

    /// <summary>"message (field: message; field: message)" from an EasyPost error or verification object.</summary>
    private static string Describe(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return "no error details";
        }

        var parts = new List<string>();
        if (error.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in errors.EnumerateArray())
            {
                var part = item.ValueKind switch
                {
                    JsonValueKind.String => item.GetString(),
                    JsonValueKind.Object when String(item, "field") is { } field => $"{field}: {String(item, "message")}",
                    JsonValueKind.Object => String(item, "message"),
                    _ => null,
                };
                if (!string.IsNullOrWhiteSpace(part))
                {
                    parts.Add(part);
                }
            }
        }

        var message = String(error, "message");
        return parts.Count == 0 ? message ?? "no error details" : $"{message ?? "errors"} ({string.Join("; ", parts)})";
    }

    /// <summary>Carrier messages EasyPost attaches to a shipment without rates (", messages: ..."), or nothing.</summary>
    private static string Messages(JsonElement shipment)
    {
        if (!shipment.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        var texts = messages.EnumerateArray()
            .Where(m => m.ValueKind == JsonValueKind.Object)
            .Select(m => $"{String(m, "carrier")}: {String(m, "message")}")
            .ToList();
        return texts.Count == 0 ? string.Empty : "; messages: " + string.Join("; ", texts);
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: EasyPost refund of shipment {ShipmentId} (fulfillment {FulfillmentId}) is {RefundStatus}")]
    private partial void LogVoided(string orderId, string fulfillmentId, string shipmentId, string refundStatus);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: EasyPost shipment {ShipmentId} (fulfillment {FulfillmentId}) already has refund status {RefundStatus}; not refunded again")]
    private partial void LogVoidAlreadyRequested(string orderId, string fulfillmentId, string shipmentId, string refundStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: EasyPost refused the refund of shipment {ShipmentId} (fulfillment {FulfillmentId}) with HTTP {StatusCode}")]
    private partial void LogVoidRefused(string orderId, string fulfillmentId, string shipmentId, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: EasyPost shipment {ShipmentId} created for fulfillment {FulfillmentId}")]
    private partial void LogCreated(string orderId, string fulfillmentId, string shipmentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: EasyPost shipment {ShipmentId} for fulfillment {FulfillmentId} was already bought ({TrackingNumber}); label returned again")]
    private partial void LogAlreadyBought(string orderId, string fulfillmentId, string shipmentId, string trackingNumber);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: EasyPost label {TrackingNumber} ({Carrier} {Service}, {CostMinorUnits} {Currency}) bought on shipment {ShipmentId} for fulfillment {FulfillmentId}")]
    private partial void LogBought(string orderId, string fulfillmentId, string shipmentId, string carrier, string service, string trackingNumber, long costMinorUnits, string currency);
}
