using OrderFlow.Domain.Routing;

namespace OrderFlow.Integrations.Fulfillment;

/// <summary>
/// The pick list a location receives on its queue (JSON, camelCase). Consumers dedupe on
/// (<see cref="Kind"/>, <see cref="FulfillmentId"/>): a queue can deliver a message more than once. The same queue
/// carries <see cref="FulfillmentCancelMessage"/>s (kind "cancel"); read <see cref="Kind"/> first.
/// </summary>
public sealed record PickListMessage(
    string OrderId,
    string FulfillmentId,
    string Location,
    IReadOnlyList<FulfillmentLine> Lines,
    string TrackingNumber,
    string IdempotencyKey,
    string Kind = PickListMessage.PickKind)
{
    /// <summary>A pick list: pack and ship.</summary>
    public const string PickKind = "pick";

    /// <summary>A <see cref="FulfillmentCancelMessage"/>: stop the fulfillment.</summary>
    public const string CancelKind = "cancel";
}
