using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Reconciliation;

/// <summary>What the payment provider holds for an order's payment: captured and refunded, in the payment's currency.</summary>
public sealed record PaymentFacts(Money Captured, Money Refunded)
{
    public static PaymentFacts None(string currency) => new(Money.Zero(currency), Money.Zero(currency));
}
