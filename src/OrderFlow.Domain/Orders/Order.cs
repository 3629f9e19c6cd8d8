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

    /// <summary>Summed quantity per SKU (two lines of one SKU count together).</summary>
    public IReadOnlyDictionary<string, int> DemandBySku() =>
        Lines.GroupBy(l => l.Sku, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity), StringComparer.Ordinal);
}
