using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>A line as the workflow sees it (no customer data).</summary>
public sealed record OrderLineSummary(string LineId, string Sku, int Quantity, Money UnitPrice);
