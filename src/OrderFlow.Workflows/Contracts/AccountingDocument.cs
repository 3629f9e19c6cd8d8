using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>One document the accounting system holds for an order.</summary>
/// <param name="Kind">"sale" or "refund" (<see cref="Sale"/>, <see cref="Refund"/>).</param>
/// <param name="Total">What the document books in total (a sale: revenue + tax + shipping - discount; a refund: the amount).</param>
public sealed record AccountingDocument(string OrderId, string Kind, string Reference, string DocumentId, Money Total, Money Tax)
{
    public const string Sale = "sale";
    public const string Refund = "refund";
}
