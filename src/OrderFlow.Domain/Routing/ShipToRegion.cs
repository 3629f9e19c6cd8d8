using OrderFlow.Domain.Orders;

namespace OrderFlow.Domain.Routing;

/// <summary>
/// The ship-to address as routing sees it: ISO country code and, when the province is an ISO 3166-2 subdivision code
/// ("CA" or "US-CA"), that subdivision. Full province names ("California") match at country level only.
/// </summary>
public sealed record ShipToRegion(string Country, string? Subdivision, string PostalCode)
{
    public static ShipToRegion Of(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var country = address.CountryCode.Trim().ToUpperInvariant();
        return new ShipToRegion(country, SubdivisionCode(address.Province, country), Compact(address.PostalCode));
    }

    /// <summary>"US-CA", or "US" when the subdivision is unknown.</summary>
    public string Code => Subdivision is null ? Country : $"{Country}-{Subdivision}";

    public bool IsServedBy(FulfillmentLocation location) =>
        location.Regions.Any(r =>
        {
            var region = r.Trim();
            return region == FulfillmentLocation.Everywhere
                || string.Equals(region, Country, StringComparison.OrdinalIgnoreCase)
                || (Subdivision is not null && string.Equals(region, Code, StringComparison.OrdinalIgnoreCase));
        });

    public ShippingZone ZoneOf(FulfillmentLocation location)
    {
        if (location.Country is null || !string.Equals(location.Country.Trim(), Country, StringComparison.OrdinalIgnoreCase))
        {
            return ShippingZone.Other;
        }

        if (!string.IsNullOrWhiteSpace(location.PostalPrefix) && PostalCode.StartsWith(Compact(location.PostalPrefix), StringComparison.Ordinal))
        {
            return ShippingZone.SamePostalArea;
        }

        return Subdivision is not null && SubdivisionCode(location.Subdivision, Country) == Subdivision
            ? ShippingZone.SameSubdivision
            : ShippingZone.SameCountry;
    }

    /// <summary>The subdivision part of "CA" or "US-CA" (upper case), or null when it is not a code.</summary>
    public static string? SubdivisionCode(string? value, string country)
    {
        var code = value?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        if (code.StartsWith(country + "-", StringComparison.Ordinal))
        {
            code = code[(country.Length + 1)..];
        }

        return code.Length is >= 1 and <= 3 && code.All(char.IsAsciiLetterOrDigit) ? code : null;
    }

    private static string Compact(string? value) => (value ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
}
