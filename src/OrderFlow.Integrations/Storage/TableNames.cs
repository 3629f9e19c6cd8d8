namespace OrderFlow.Integrations.Storage;

/// <summary>Logical table names; the physical name is the configured prefix plus this name.</summary>
public static class TableNames
{
    public const string Orders = "Orders";
    public const string Deliveries = "Deliveries";
    public const string Catalog = "Catalog";
    public const string Cases = "Cases";
    public const string Notifications = "Notifications";
    public const string Ledger = "Ledger";
    public const string Dispatches = "Dispatches";
    public const string Payments = "Payments";
    public const string Approvals = "Approvals";
    public const string StockLedger = "StockLedger";
    public const string StockAlerts = "StockAlerts";
    public const string ChannelSync = "ChannelSync";
    public const string CarrierShipments = "CarrierShipments";
    public const string PendingCancellations = "PendingCancellations";
    public const string Reconciliations = "Reconciliations";
    public const string SandboxPayments = "SandboxPayments";
    public const string Returns = "Returns";

    /// <summary>Recent orders and failed payments under hashed email / IP / address keys, for fraud velocity and customer history.</summary>
    public const string RecentOrders = "RecentOrders";

    /// <summary>OAuth refresh tokens that providers rotate (QuickBooks Online), so a restart uses the newest.</summary>
    public const string OAuthTokens = "OAuthTokens";

    /// <summary>Captures made through a sales channel (Shopify orderCapture), per idempotency key: what was known before, what came back.</summary>
    public const string ChannelCaptures = "ChannelCaptures";

    /// <summary>Pick lists handed to own warehouses, per location, oldest first: what the pick-and-pack page lists.</summary>
    public const string PickLists = "PickLists";

    /// <summary>Order facts waiting to be written back to the storefront the order came from (Shopify, WooCommerce), one row per order and op.</summary>
    public const string WriteBack = "WriteBack";

    /// <summary>SKUs split across shard entities automatically (Inventory:AutoSplit), one row per SKU until its shards are empty.</summary>
    public const string AutoSplits = "AutoSplits";

    public static IReadOnlyList<string> All { get; } = [Orders, Deliveries, Catalog, Cases, Notifications, Ledger, Dispatches, Approvals, Payments, StockLedger, StockAlerts, ChannelSync, OAuthTokens, CarrierShipments, PendingCancellations, Reconciliations, SandboxPayments, Returns, ChannelCaptures, RecentOrders, PickLists, WriteBack, AutoSplits];
}
