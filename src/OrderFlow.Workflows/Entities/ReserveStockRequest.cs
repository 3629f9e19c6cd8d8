namespace OrderFlow.Workflows.Entities;

/// <summary>Entity operation input: hold units of this SKU for an order until a deadline.</summary>
public sealed record ReserveStockRequest(string OrderId, int Quantity, DateTimeOffset ExpiresAt);
