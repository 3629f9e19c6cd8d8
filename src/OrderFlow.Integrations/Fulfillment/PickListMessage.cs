using OrderFlow.Domain.Routing;

namespace OrderFlow.Integrations.Fulfillment;

/// <summary>
/// The pick list a location receives on its queue (JSON, camelCase). Consumers dedupe on
/// <see cref="FulfillmentId"/>: a queue can deliver a message more than once.
/// </summary>
public sealed record PickListMessage(
    string OrderId,
    string FulfillmentId,
    string Location,
    IReadOnlyList<FulfillmentLine> Lines,
    string TrackingNumber,
    string IdempotencyKey);
