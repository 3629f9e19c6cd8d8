namespace OrderFlow.Workflows.Orchestrators;

/// <summary>A client-side stock change: set on-hand counts per location for one SKU, by an actor, for a reason.</summary>
public sealed record StockAdjustment(string Sku, IReadOnlyDictionary<string, int> OnHandByLocation, string Actor, string Reason);
