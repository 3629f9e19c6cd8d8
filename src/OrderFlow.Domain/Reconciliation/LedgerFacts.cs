using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Reconciliation;

/// <summary>One accounting document booked for an order: a sale or a refund (credit note), with its total.</summary>
public sealed record LedgerFacts(bool IsRefund, string Reference, Money Total);
