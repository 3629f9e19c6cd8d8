using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Orders;

/// <summary>The amounts the store charged, all in the order currency.</summary>
public sealed record OrderTotals(Money Subtotal, Money Shipping, Money Tax, Money Discount, Money Total);
