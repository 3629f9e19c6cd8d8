using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Returns;

/// <summary>
/// The order amounts a refund is computed from: unit price per SKU (the first order line's), the order's subtotal,
/// tax and shipping, and whether shipping may still be refunded (no earlier return of the order refunded it).
/// </summary>
public sealed record ReturnPricing(
    IReadOnlyDictionary<string, Money> UnitPrices,
    Money Subtotal,
    Money Tax,
    Money Shipping,
    bool ShippingRefundable)
{
    public string Currency => Subtotal.Currency;
}
