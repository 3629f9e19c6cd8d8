namespace OrderFlow.Domain.Orders;

/// <summary>
/// The canonical order every channel maps to. Immutable snapshot of what the customer placed.
/// </summary>
public sealed record Order(
    string OrderId,
    string Source,
    string ExternalId,
    string OrderNumber,
    Customer Customer,
    Address ShippingAddress,
    IReadOnlyList<LineItem> Lines,
    OrderTotals Totals,
    string Currency,
    string? PaymentReference,
    DateTimeOffset PlacedAt)
{
    /// <summary>
    /// The channel's payment facts when the channel is the payment authority (no Stripe PaymentIntent); null for
    /// orders paid through Stripe and for generic orders.
    /// </summary>
    public ChannelPayment? Payment { get; init; }

    /// <summary>The billing address's country (ISO 3166-1 alpha-2) when the channel sent one; read by fraud screening only.</summary>
    public string? BillingCountryCode { get; init; }

    /// <summary>The buyer's browser IP when the channel sent it (Shopify <c>browser_ip</c>, WooCommerce <c>customer_ip_address</c>). PII: never logged.</summary>
    public string? CustomerIp { get; init; }

    /// <summary>
    /// The channel's own fraud risk rating, normalized to "high", "medium" or "low" (Shopify order risk assessments);
    /// null when the channel sent none.
    /// </summary>
    public string? ChannelRiskLevel { get; init; }

    /// <summary>Summed quantity per SKU (two lines of one SKU count together).</summary>
    public IReadOnlyDictionary<string, int> DemandBySku() =>
        Lines.GroupBy(l => l.Sku, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity), StringComparer.Ordinal);
}
