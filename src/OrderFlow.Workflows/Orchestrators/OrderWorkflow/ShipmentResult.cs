using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>What a location's answer left: the part that shipped (null: nothing), and fulfillments elsewhere for units it could not ship.</summary>
internal sealed record ShipmentResult(PlannedFulfillment? Shipped, IReadOnlyList<PlannedFulfillment> Rerouted);
