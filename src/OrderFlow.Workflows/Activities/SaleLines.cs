using OrderFlow.Domain.Common;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Activities;

/// <summary>The lines and tax lines of a sale as the stored order knows them.</summary>
public static class SaleLines
{
    /// <summary>
    /// The order's lines limited to the units its fulfillments shipped, when their value is the booked revenue (the
    /// orchestrator books only shipped goods); else all lines when they add up to it; else null, so the ledger books the
    /// revenue as one amount rather than lines that disagree with it.
    /// </summary>
    public static IReadOnlyList<SaleLine>? Booked(OrderRecord record, Money revenue)
    {
        ArgumentNullException.ThrowIfNull(record);
        var all = record.Order.Lines.Select(l => new SaleLine(l.Sku, l.Title, l.Quantity, l.UnitPrice)).ToList();

        var shipped = record.Fulfillments
            .Where(f => string.Equals(f.Status, FulfillmentConfirmation.Shipped, StringComparison.OrdinalIgnoreCase))
            .SelectMany(f => f.Lines)
            .GroupBy(l => l.Sku, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity), StringComparer.Ordinal);
        var shippedLines = new List<SaleLine>();
        foreach (var line in all)
        {
            var units = Math.Min(line.Quantity, shipped.GetValueOrDefault(line.Sku));
            if (units > 0)
            {
                shippedLines.Add(line with { Quantity = units });
                shipped[line.Sku] -= units;
            }
        }

        if (Matches(shippedLines, revenue))
        {
            return shippedLines;
        }

        return Matches(all, revenue) ? all : null;
    }

    /// <summary>
    /// The order keeps only its total tax, not the jurisdictions it was made of, so the tax is one line without a
    /// jurisdiction (none when there is no tax).
    /// </summary>
    public static IReadOnlyList<TaxLine> Tax(Money tax) => tax.MinorUnits == 0 ? [] : [new TaxLine(null, tax)];

    private static bool Matches(List<SaleLine> lines, Money revenue) =>
        lines.Count > 0
        && lines.All(l => l.UnitPrice.Currency == revenue.Currency)
        && lines.Sum(l => l.Total.MinorUnits) == revenue.MinorUnits;
}
