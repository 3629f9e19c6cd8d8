using System.Text.Json.Serialization;
using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Hands one fulfillment to its location (warehouse pick list or 3PL).</summary>
/// <param name="Then">From <see cref="OrderWorkflowVersions.FulfillmentRecordWithStep"/>: the fulfillment's record written
/// once the hand-off succeeded (awaiting-confirmation; never sent to the location); null (and not serialized) otherwise.</param>
public sealed record FulfillmentDispatch(
    string OrderId,
    string FulfillmentId,
    string Location,
    IReadOnlyList<FulfillmentLine> Lines,
    string TrackingNumber,
    string IdempotencyKey,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FulfillmentUpdate? Then = null);
