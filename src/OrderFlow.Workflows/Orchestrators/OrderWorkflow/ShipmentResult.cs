using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// What a location's answer left: the part that shipped (null: nothing), fulfillments elsewhere for units it could not
/// ship, and whether the location itself refused the fulfillment (then it need not be told it is cancelled).
/// </summary>
internal sealed record ShipmentResult(PlannedFulfillment? Shipped, IReadOnlyList<PlannedFulfillment> Rerouted, bool LocationDeclined = false);
