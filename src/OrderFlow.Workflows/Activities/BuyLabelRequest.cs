using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Activities;

/// <summary>Input of <see cref="BuyLabelActivity"/>; <see cref="Attempt"/> counts purchases after an address correction (new idempotency key).</summary>
public sealed record BuyLabelRequest(string OrderId, PlannedFulfillment Fulfillment, int Attempt = 1);
