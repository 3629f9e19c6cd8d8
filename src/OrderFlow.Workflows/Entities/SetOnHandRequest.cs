namespace OrderFlow.Workflows.Entities;

/// <summary>Entity operation input: counted on-hand quantity at a location, by whom and why.</summary>
public sealed record SetOnHandRequest(string Location, int OnHand, string Actor = "api", string Reason = "stock count");
