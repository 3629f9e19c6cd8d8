namespace OrderFlow.Workflows.Entities;

/// <summary>Entity operation input: counters per location as summed from the ledger (a repair).</summary>
public sealed record RebuildStockRequest(IReadOnlyDictionary<string, LocationCounters> Locations);

/// <summary>On-hand and reserved units at one location.</summary>
public sealed record LocationCounters(int OnHand, int Reserved);
