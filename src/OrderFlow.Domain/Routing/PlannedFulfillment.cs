namespace OrderFlow.Domain.Routing;

/// <summary>
/// One shipment from one location: exactly the units reserved there; Method and Kind when the location is configured.
/// </summary>
public sealed record PlannedFulfillment(
    string FulfillmentId,
    string Location,
    IReadOnlyList<FulfillmentLine> Lines,
    FulfillmentMethod? Method = null,
    LocationKind? Kind = null);
