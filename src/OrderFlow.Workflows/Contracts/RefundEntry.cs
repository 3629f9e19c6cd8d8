using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Money returned to the customer for an order, posted to accounting once (reference = idempotency key).</summary>
/// <param name="Amount">The whole refunded amount, tax included.</param>
/// <param name="Tax">The tax part of <paramref name="Amount"/>.</param>
public sealed record RefundEntry(string OrderId, string OrderNumber, Money Amount, Money Tax, string Reason, string Reference);
