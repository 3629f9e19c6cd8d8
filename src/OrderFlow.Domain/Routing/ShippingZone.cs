namespace OrderFlow.Domain.Routing;

/// <summary>How far a location is from the ship-to address, nearest first (the routing tie-break after priority).</summary>
public enum ShippingZone
{
    /// <summary>Same country and the ship-to postal code starts with the location's postal prefix.</summary>
    SamePostalArea = 0,
    SameSubdivision = 1,
    SameCountry = 2,

    /// <summary>Another country, or the location's own address is not configured.</summary>
    Other = 3,
}
