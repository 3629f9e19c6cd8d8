using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Notifications;

/// <summary>
/// What a customer is shown of an order's parcels and links, the same in the emails (Integrations) and on the order
/// status page (Api).
/// </summary>
public static class CustomerView
{
    /// <summary>The status of a fulfillment that was called off: it never ships, so it is no parcel.</summary>
    public const string CancelledFulfillment = "cancelled";

    /// <summary>Fulfillments that still count as parcels (a cancelled one never ships).</summary>
    public static IReadOnlyList<FulfillmentRecord> Parcels(OrderRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Fulfillments.Where(f => !string.Equals(f.Status, CancelledFulfillment, StringComparison.Ordinal)).ToList();
    }

    /// <summary>An absolute http(s) URL, or empty: anything else (javascript:, relative) is never made a link.</summary>
    public static string SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : string.Empty;
}
