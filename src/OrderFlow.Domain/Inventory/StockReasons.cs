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
}
