using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Records a fulfillment's current state on the order.</summary>
public sealed record FulfillmentUpdate(string OrderId, string FulfillmentId, string Location, IReadOnlyList<FulfillmentLine> Lines, string Status, ShippingLabel? Label, string? HoldReason = null);
