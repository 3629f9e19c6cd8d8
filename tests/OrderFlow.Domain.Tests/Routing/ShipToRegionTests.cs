using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;

namespace OrderFlow.Domain.Tests.Routing;

public class ShipToRegionTests
{
    [Theory]
    [InlineData("CA", "US-CA")]
    [InlineData("us-ca", "US-CA")]
    [InlineData(" ny ", "US-NY")]
    [InlineData("California", "US")]
    [InlineData(null, "US")]
    public void Of_Province_SubdivisionOnlyWhenItIsACode(string? province, string expected)
    {
        Assert.Equal(expected, ShipToRegion.Of(Address(province, "90012", "us")).Code);
    }

    [Theory]
    [InlineData("US", true)]
    [InlineData("us-ca", true)]
    [InlineData("*", true)]
    [InlineData("US-NY", false)]
    [InlineData("CA", false)]
    public void IsServedBy_Region_MatchesCountrySubdivisionOrEverywhere(string region, bool served)
    {
        var location = new FulfillmentLocation("L", LocationKind.Warehouse, FulfillmentMethod.OwnWarehouse, [region], 0, 0);

        Assert.Equal(served, ShipToRegion.Of(Address("CA", "90012", "US")).IsServedBy(location));
    }

    [Theory]
    [InlineData("US", "CA", "900", ShippingZone.SamePostalArea)]
    [InlineData("US", "US-CA", "94", ShippingZone.SameSubdivision)]
    [InlineData("US", "TX", null, ShippingZone.SameCountry)]
    [InlineData("MX", "CA", "900", ShippingZone.Other)]
    [InlineData(null, null, null, ShippingZone.Other)]
    public void ZoneOf_LocationAddress_NearestMatchingLevel(string? country, string? subdivision, string? postalPrefix, ShippingZone expected)
    {
        var location = new FulfillmentLocation("L", LocationKind.Warehouse, FulfillmentMethod.OwnWarehouse, ["US"], 0, 0, country, subdivision, postalPrefix);

        Assert.Equal(expected, ShipToRegion.Of(Address("CA", "900 12", "US")).ZoneOf(location));
    }

    private static Address Address(string? province, string postalCode, string country) =>
        new("Ada Lovelace", "1 Main St", null, "Los Angeles", province, postalCode, country, null);
}
