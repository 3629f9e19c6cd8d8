using OrderFlow.Domain.Routing;

namespace OrderFlow.Integrations.Fulfillment;

/// <summary>
/// Tells an own warehouse to stop a fulfillment whose pick list it received (JSON, camelCase, on the same queue, kind
/// "cancel"). The warehouse answers through the signed fulfillment callback: "cancelled" when nothing left, "shipped"
/// when the parcel had already gone.
/// </summary>
public sealed record FulfillmentCancelMessage(
    string Kind,
    string OrderId,
    string FulfillmentId,
    string Location,
    IReadOnlyList<FulfillmentLine> Lines,
    string? TrackingNumber,
    string Reason,
    string IdempotencyKey);
