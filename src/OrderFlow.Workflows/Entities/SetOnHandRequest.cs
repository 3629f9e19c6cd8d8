namespace OrderFlow.Workflows.Entities;

/// <summary>Entity operation input: counted on-hand quantity at a location.</summary>
public sealed record SetOnHandRequest(string Location, int OnHand);
