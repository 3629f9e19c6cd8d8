using OrderFlow.Domain.Common;
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

    /// <summary>Value of the given units at the order's unit prices (first matching line price per SKU).</summary>
    public Money ValueOf(IEnumerable<(string Sku, int Quantity)> units)
    {
        var total = Money.Zero(Currency);
        foreach (var (sku, quantity) in units)
        {
            var line = Lines.First(l => l.Sku == sku);
            total += line.UnitPrice.Times(quantity);
        }

        return total;
    }
}
