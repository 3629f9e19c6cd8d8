namespace OrderFlow.Workflows.Entities;

/// <summary>Entity operation input: a fulfillment's units of this SKU at a location have shipped (null quantity: all reserved there).</summary>
public sealed record CommitStockRequest(string OrderId, string Location, string FulfillmentId, int? Quantity = null);
