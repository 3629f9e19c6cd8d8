using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Revenue and tax for a completed order, posted to accounting once (reference = idempotency key).</summary>
/// <param name="Lines">The booked goods (their totals add up to <paramref name="Revenue"/>); null when the caller did not
/// give them (<c>PostSaleActivity</c> then reads them from the stored order).</param>
/// <param name="TaxLines">The tax per jurisdiction (adding up to <paramref name="Tax"/>); null when not given.</param>
/// <param name="Then">From <see cref="OrderWorkflowVersions.StatusWithStep"/>: the order's final status, written by
/// <c>PostSaleActivity</c> once the sale is posted (never sent to accounting); null (and not serialized) otherwise.</param>
public sealed record SaleEntry(
    string OrderId,
    string OrderNumber,
    Money Revenue,
    Money Tax,
    Money Shipping,
    Money Discount,
    string Reference,
    IReadOnlyList<SaleLine>? Lines = null,
    IReadOnlyList<TaxLine>? TaxLines = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] StatusChange? Then = null);
