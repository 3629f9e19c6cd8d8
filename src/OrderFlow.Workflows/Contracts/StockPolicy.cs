namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// What the order workflow does when a SKU is short: the policy in force and, for Substitute, the replacement SKU; and
/// whether it is a digital product (no stock, no shipment; delivered by <see cref="DownloadUrl"/>). <see cref="Shards"/>:
/// how many entities hold the SKU's stock (<c>Inventory:SplitSkus</c>; 1 when it is not split).
/// </summary>
public sealed record StockPolicy(string Sku, string Policy, string? SubstituteSku, bool Digital = false, string? DownloadUrl = null, int Shards = 1);
