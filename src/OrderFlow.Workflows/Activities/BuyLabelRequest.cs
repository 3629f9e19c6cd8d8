using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Activities;

/// <summary>Input of <see cref="BuyLabelActivity"/>.</summary>
public sealed record BuyLabelRequest(string OrderId, PlannedFulfillment Fulfillment);
