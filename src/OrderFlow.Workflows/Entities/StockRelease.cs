using OrderFlow.Domain.Inventory;

namespace OrderFlow.Workflows.Entities;

/// <summary>Units released, and the waiting orders the freed units went to (their workflows are told).</summary>
public sealed record StockRelease(string Sku, int Released, IReadOnlyList<BackorderFill> Filled);
