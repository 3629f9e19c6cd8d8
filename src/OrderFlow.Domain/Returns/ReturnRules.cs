namespace OrderFlow.Domain.Returns;

/// <summary>
/// The store's return policy (fixed into a return workflow's input when it starts).
/// </summary>
/// <param name="WindowDays">Days after delivery (or shipment, or completion) during which a return is accepted.</param>
/// <param name="NonReturnableSkus">SKUs never taken back (gift cards, hygiene items).</param>
/// <param name="RestockingFeePercent">Percent of the returned items' value kept as a restocking fee (0-100).</param>
/// <param name="RestockingFeeFixedMinor">A fixed fee per return, in minor units of the order currency.</param>
/// <param name="RefundShipping">Whether the order's shipping charge is refunded with the first return (a request may override it).</param>
public sealed record ReturnRules(
    int WindowDays,
    IReadOnlyList<string> NonReturnableSkus,
    int RestockingFeePercent,
    long RestockingFeeFixedMinor,
    bool RefundShipping);
