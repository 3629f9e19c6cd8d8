namespace OrderFlow.Workflows.Entities;

/// <summary>Entity operation input: give back an order's uncommitted units (and its backorder place).</summary>
public sealed record ReleaseStockRequest(string OrderId, string Reason, string Actor);
