namespace OrderFlow.Workflows.Entities;

/// <summary>Entity operation input: add (receipt, resellable return) or remove (write-off) units at a location.</summary>
public sealed record AdjustStockRequest(string Location, int Delta, string Actor, string Reason, string? OrderId = null);
