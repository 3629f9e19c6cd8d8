namespace OrderFlow.Workflows.Entities;

/// <summary>Entity operation input: move units of the order's reservation away from a location that rejected or came up short.</summary>
public sealed record RerouteStockRequest(string OrderId, string FromLocation, int Quantity);
