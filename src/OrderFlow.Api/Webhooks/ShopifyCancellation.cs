namespace OrderFlow.Api.Webhooks;

/// <summary>
/// What an <c>orders/cancelled</c> webhook says about the cancellation: which order (OrderFlow's id, as intake maps
/// it), Shopify's <c>cancel_reason</c> and <c>financial_status</c>, and whether the cancelled items go back to stock.
/// </summary>
public sealed record ShopifyCancellation(
    string OrderId,
    string ExternalId,
    string? CancelReason,
    string? FinancialStatus,
    DateTimeOffset? CancelledAt,
    bool Restock)
{
    /// <summary>Shopify already returned or released the money (refunded, partially refunded or voided authorization).</summary>
    public bool MoneyHandledByShopify =>
        FinancialStatus?.Trim().ToLowerInvariant() is "refunded" or "partially_refunded" or "voided";
}
