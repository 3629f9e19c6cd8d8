namespace OrderFlow.Integrations.Email.Templates;

/// <summary>
/// The parcel a notification is about (<c>shipment.*</c>): parcel <see cref="Number"/> of <see cref="Count"/>, its
/// items only, and tracking. <see cref="Present"/> is false (and the rest empty) when the notification names no parcel.
/// <see cref="TrackingUrl"/> is empty unless it is an absolute http(s) URL.
/// </summary>
public sealed record ShipmentModel(
    bool Present,
    int Number,
    int Count,
    string Carrier,
    string TrackingNumber,
    string TrackingUrl,
    IReadOnlyList<ItemModel> Items)
{
    public static ShipmentModel None { get; } = new(false, 0, 0, string.Empty, string.Empty, string.Empty, []);
}
