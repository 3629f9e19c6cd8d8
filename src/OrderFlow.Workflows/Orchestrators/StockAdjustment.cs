namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// A client-side stock change for one SKU, by an actor, for a reason: counted on-hand per location
/// (<see cref="OnHandByLocation"/>), and/or added or removed units per location (<see cref="DeltaByLocation"/>:
/// receipts, resellable returns, write-offs), and optionally a new reorder threshold. <see cref="Shards"/>: how many
/// entities hold the SKU's stock (<c>Inventory:SplitSkus</c>; 1 when it is not split).
/// </summary>
public sealed record StockAdjustment(
    string Sku,
    IReadOnlyDictionary<string, int> OnHandByLocation,
    string Actor,
    string Reason,
    IReadOnlyDictionary<string, int>? DeltaByLocation = null,
    bool SetReorderThreshold = false,
    int? ReorderThreshold = null,
    string? OrderId = null,
    int Shards = 1);
