namespace OrderFlow.Workflows.Contracts;

/// <summary>What the order workflow does when a SKU is short: the policy in force and, for Substitute, the replacement SKU.</summary>
public sealed record StockPolicy(string Sku, string Policy, string? SubstituteSku);
