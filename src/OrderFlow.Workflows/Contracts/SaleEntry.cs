using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Revenue and tax for a completed order, posted to accounting once (reference = idempotency key).</summary>
/// <param name="Lines">The booked goods (their totals add up to <paramref name="Revenue"/>); null when the caller did not
/// give them (<c>PostSaleActivity</c> then reads them from the stored order).</param>
/// <param name="TaxLines">The tax per jurisdiction (adding up to <paramref name="Tax"/>); null when not given.</param>
public sealed record SaleEntry(
    string OrderId,
    string OrderNumber,
    Money Revenue,
    Money Tax,
    Money Shipping,
    Money Discount,
    string Reference,
    IReadOnlyList<SaleLine>? Lines = null,
    IReadOnlyList<TaxLine>? TaxLines = null);
