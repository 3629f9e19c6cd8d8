using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Hands one fulfillment to its location (warehouse pick list or 3PL).</summary>
public sealed record FulfillmentDispatch(string OrderId, string FulfillmentId, string Location, IReadOnlyList<FulfillmentLine> Lines, string TrackingNumber, string IdempotencyKey);
