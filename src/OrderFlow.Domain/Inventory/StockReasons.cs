namespace OrderFlow.Domain.Inventory;

/// <summary>Ledger reasons written by the inventory itself; adjustments carry the reason their actor gave.</summary>
public static class StockReasons
{
    public const string Reserve = "reserve";
    public const string Release = "release";
    public const string Expired = "expired";
    public const string Commit = "commit";
    public const string BackorderFill = "backorder-fill";
    public const string Return = "return";
    public const string Repair = "repair";
    public const string Reroute = "reroute";
    public const string System = "system";

    /// <summary>Units leaving one shard of a split SKU for another (followed by <see cref="ShardIn"/> there).</summary>
    public const string ShardOut = "shard-out";

    /// <summary>Units arriving at one shard of a split SKU from another.</summary>
    public const string ShardIn = "shard-in";

    /// <summary>Goods received from a supplier (stock movements API); closes the SKU's open reorder suggestions.</summary>
    public const string Received = "received";

    /// <summary>
    /// True for a movement reason that records a receipt: <see cref="Received"/> alone or followed by its reference
    /// ("received PO-1042").
    /// </summary>
    public static bool IsReceipt(string? reason) =>
        reason is not null && (reason == Received || reason.StartsWith(Received + " ", StringComparison.Ordinal));
}
