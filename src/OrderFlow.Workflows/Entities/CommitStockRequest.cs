namespace OrderFlow.Workflows.Entities;

/// <summary>Entity operation input: the order's units at a location have shipped.</summary>
public sealed record CommitStockRequest(string OrderId, string Location);
