namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// What the order workflow does when a SKU is short: the policy in force and, for Substitute, the replacement SKU; and
/// whether it is a digital product (no stock, no shipment; delivered by <see cref="DownloadUrl"/>).
/// </summary>
public sealed record StockPolicy(string Sku, string Policy, string? SubstituteSku, bool Digital = false, string? DownloadUrl = null);
