using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Contracts;

/// <summary>What the orchestrator knows about an order: lines and money, no PII.</summary>
public sealed record OrderSummary(
    string OrderId,
    string OrderNumber,
    string Currency,
    OrderTotals Totals,
    IReadOnlyList<OrderLineSummary> Lines,
    string? PaymentReference)
{
    public IReadOnlyDictionary<string, int> DemandBySku() =>
        Lines.GroupBy(l => l.Sku, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity), StringComparer.Ordinal);
}
