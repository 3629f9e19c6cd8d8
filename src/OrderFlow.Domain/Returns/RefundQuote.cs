using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Returns;

/// <summary>
/// The money a return gives back: <see cref="Items"/> + <see cref="Tax"/> + <see cref="Shipping"/> -
/// <see cref="RestockingFee"/> = <see cref="Total"/> (never negative; the fee is cut to what it can take).
/// </summary>
public sealed record RefundQuote(Money Items, Money Tax, Money Shipping, Money RestockingFee, Money Total);
