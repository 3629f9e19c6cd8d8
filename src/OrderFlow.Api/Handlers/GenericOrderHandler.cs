using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Options;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Security;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// POST /api/orders: any channel posts the canonical order JSON, authenticated by X-OrderFlow-Signature (base64
/// HMAC-SHA256 of the body with Intake:GenericSecret) or X-Api-Key (Intake:GenericApiKey, a key of its own), then takes the same dedupe and start
/// path as Shopify. The order id is derived from (source, externalId), so a repeated post never starts a second workflow.
/// </summary>
public sealed partial class GenericOrderHandler(
    IDeliveryStore deliveries,
    IOptions<IntakeOptions> intakeOptions,
    OrderIntake intake,
    UnmappableDeliveries unmappable,
    TimeProvider clock,
    ILogger<GenericOrderHandler> logger)
{
    public const string Route = "orders";
    public const string SignatureHeader = "X-OrderFlow-Signature";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string DeliveryIdHeader = "X-OrderFlow-Delivery-Id";
    public const string Topic = "orders/create";

    /// <summary>Where rejected deliveries are filed when the body names no usable source.</summary>
    public const string FallbackSource = "generic";

    /// <summary>
    /// Every source the code owns (channels with their own verified intake, and the sources deliveries are filed under);
    /// the generic intake may not speak for them.
    /// </summary>
    public static readonly IReadOnlyList<string> ReservedSources =
    [
        ShopifyWebhookHandler.Source,
        WooCommerceWebhookHandler.Source,
        StripeWebhookHandler.Source,
        CarrierWebhookHandler.Source,
        FulfillmentEventsHandler.Source,
        FallbackSource,
    ];

    public async Task<IResult> PostAsync(HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = intakeOptions.Value;
        var body = await RequestBody.ReadAsync(request, options.MaxBodyBytes, cancellationToken);
        var now = clock.GetUtcNow();
        if (body is null)
        {
            return RequestBody.TooLarge(options.MaxBodyBytes);
        }

        var raw = Encoding.UTF8.GetString(body);
        var headerId = request.Headers[DeliveryIdHeader].ToString();
        var label = string.IsNullOrWhiteSpace(headerId) ? $"missing-id-{now.UtcTicks}" : headerId;
        var secret = options.GenericSecret;
        if (string.IsNullOrEmpty(secret) || secret == "UNSET")
        {
            return Problems.Unavailable("The generic order intake is off (Intake:GenericSecret is not set).");
        }

        if (!Authenticated(body, request, secret, options.GenericApiKeyOrNull()))
        {
            await Reject(FallbackSource, label, now, DeliveryOutcomes.RejectedSignature, $"{SignatureHeader} or {ApiKeyHeader} missing or invalid.", raw, cancellationToken);
            LogRejected(label, "bad signature");
            return Problems.Unauthorized(
                $"{SignatureHeader} (base64 HMAC-SHA256 of the body with Intake:GenericSecret) or {ApiKeyHeader} (Intake:GenericApiKey) is missing or does not match.");
        }

        if (OrderIntake.DeliveryIdProblem(DeliveryIdHeader, headerId) is { } tooLong)
        {
            await Reject(FallbackSource, label, now, DeliveryOutcomes.RejectedMalformed, tooLong, raw, cancellationToken);
            LogRejected(label, tooLong);
            return Problems.BadRequest(tooLong);
        }

        var (order, error) = Read(body);
        if (order is null)
        {
            // Authenticated, so kept whole with a case; still a 400, since the caller is the merchant's own system.
            LogRejected(label, error!);
            var caseId = await unmappable.RejectAsync(FallbackSource, UnmappableDeliveries.DeliveryKey(headerId, raw), Topic, raw, error!, cancellationToken);
            return Problems.BadRequest($"{error} Kept for review as case {caseId}.");
        }

        var deliveryId = string.IsNullOrWhiteSpace(headerId) ? order.OrderId : headerId;
        var delivery = new WebhookDelivery(order.Source, deliveryId, Topic, now, DeliveryOutcomes.Accepted, null, order.OrderId, raw);
        return await intake.StartAsync(delivery, order, workflows, cancellationToken);
    }

    /// <summary>The canonical order from the body, with its id derived from (source, externalId); or why it cannot be read.</summary>
    public static (Order? Order, string? Error) Read(ReadOnlySpan<byte> body)
    {
        Order? order;
        try
        {
            order = JsonSerializer.Deserialize<Order>(body, IntegrationJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or NotSupportedException)
        {
            return (null, $"The body is not a canonical order: {ex.Message}");
        }

        var missing = new List<string>();
        if (order is null)
        {
            return (null, "The body is empty.");
        }

        Require(string.IsNullOrWhiteSpace(order.Source), "source");
        Require(string.IsNullOrWhiteSpace(order.ExternalId), "externalId");
        Require(order.Customer is null || string.IsNullOrWhiteSpace(order.Customer.Email), "customer.email");
        Require(order.ShippingAddress is null, "shippingAddress");
        Require(order.Lines is null || order.Lines.Count == 0, "lines");
        Require(order.Totals is null, "totals");
        Require(string.IsNullOrWhiteSpace(order.Currency), "currency");
        Require(order.PlacedAt == default, "placedAt");
        if (missing.Count > 0)
        {
            return (null, $"Required field(s) missing: {string.Join(", ", missing)}.");
        }

        var source = order.Source.Trim().ToLowerInvariant();
        if (!OrderIds.IsValidSource(source) || ReservedSources.Contains(source))
        {
            // No '-' or '~': they separate the parts of an order id, so (source "a-b", id "c") cannot pose as (source "a", id "b-c").
            return (null, $"\"source\" must be 1-{OrderIds.MaxSourceLength} lower-case letters, digits or '_' (no '-'), and not one of: {string.Join(", ", ReservedSources)}.");
        }

        var orderNumber = string.IsNullOrWhiteSpace(order.OrderNumber) ? order.ExternalId : order.OrderNumber;
        return (order with { Source = source, OrderId = OrderIds.For(source, order.ExternalId), OrderNumber = orderNumber }, null);

        void Require(bool isMissing, string field)
        {
            if (isMissing)
            {
                missing.Add(field);
            }
        }
    }

    /// <summary>A valid signature with the secret, or else the API key (its own key, never the secret), compared in constant time.</summary>
    private static bool Authenticated(byte[] body, HttpRequest request, string secret, string? apiKey) =>
        HmacSignature.Verify(body, request.Headers[SignatureHeader].ToString(), secret)
        || ConstantTimeKeys.Matches(request.Headers[ApiKeyHeader].ToString(), apiKey);

    private Task Reject(string source, string deliveryId, DateTimeOffset now, string outcome, string? reason, string raw, CancellationToken cancellationToken) =>
        deliveries.RecordRejectedAsync(new WebhookDelivery(source, deliveryId, Topic, now, outcome, reason, null, raw), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected generic order delivery {DeliveryId}: {Reason}")]
    private partial void LogRejected(string deliveryId, string reason);
}
