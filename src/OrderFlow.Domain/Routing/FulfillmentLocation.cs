namespace OrderFlow.Domain.Routing;

/// <summary>
/// A place that fulfills orders (store configuration). <paramref name="Regions"/> are ISO 3166-1 country codes ("US"),
/// country-subdivision codes ("US-CA") or "*" for everywhere. Priority: lower is preferred. Country, Subdivision and
/// PostalPrefix locate the place itself, for the zone tie-break.
/// </summary>
public sealed record FulfillmentLocation(
    string Id,
    LocationKind Kind,
    FulfillmentMethod Method,
    IReadOnlyList<string> Regions,
    int Priority,
    int HandlingDays,
    string? Country = null,
    string? Subdivision = null,
    string? PostalPrefix = null)
{
    /// <summary>Serves every region.</summary>
    public const string Everywhere = "*";

    /// <summary>Delivers digital goods only.</summary>
    public bool IsDigital => Kind == LocationKind.Digital || Method == FulfillmentMethod.DigitalDelivery;

    /// <summary>The customer collects there; never chosen for an order that ships.</summary>
    public bool IsPickupOnly => Kind == LocationKind.Pickup || Method == FulfillmentMethod.LocalPickup;
}
