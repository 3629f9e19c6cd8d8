using System.Text.Json.Serialization;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Validation;

namespace OrderFlow.Workflows.Contracts;

/// <summary>What the orchestrator knows about an order: lines and money, no PII.</summary>
/// <param name="Held">
/// Set by the order's first activity (revision 13 and later) when payment notices or cancellations were held for the
/// order before its workflow existed; omitted otherwise, so earlier revisions' recorded outputs read the same.
/// </param>
/// <param name="Validation">
/// Set by the order's first activity (revision 19 and later, a run that is not a restart) with the result of the first
/// validation round it carried; omitted when it did not validate (an earlier revision, a restart, or the carried round
/// failed), so earlier revisions' recorded outputs stay byte for byte the same.
/// </param>
public sealed record OrderSummary(
    string OrderId,
    string OrderNumber,
    string Currency,
    OrderTotals Totals,
    IReadOnlyList<OrderLineSummary> Lines,
    string? PaymentReference,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HeldAtIntake? Held = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ValidationResult? Validation = null)
{
    public IReadOnlyDictionary<string, int> DemandBySku() =>
        Lines.GroupBy(l => l.Sku, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity), StringComparer.Ordinal);
}
