namespace OrderFlow.Domain.Routing;

/// <summary>One shipment from one location: exactly the units reserved there.</summary>
public sealed record PlannedFulfillment(string FulfillmentId, string Location, IReadOnlyList<FulfillmentLine> Lines);
