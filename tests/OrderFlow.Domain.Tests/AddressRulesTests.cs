using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Validation;

namespace OrderFlow.Domain.Tests;

public sealed class AddressRulesTests
{
    private static readonly Address Base = new("Ada Lovelace", "1 Main St", null, "Springfield", null, "x", "US", null);

    [Theory]
    [InlineData("US", "62701", null)]
    [InlineData("US", "62701-1234", null)]
    [InlineData("US", "6270", "postalCodeFormat")]
    [InlineData("CA", "K1A 0B1", null)]
    [InlineData("CA", "k1a0b1", null)]
    [InlineData("CA", "D1A 0B1", "postalCodeFormat")]
    [InlineData("GB", "N1 9GU", null)]
    [InlineData("GB", "SW1A 1AA", null)]
    [InlineData("GB", "12345", "postalCodeFormat")]
    [InlineData("DE", "10115", null)]
    [InlineData("DE", "1011", "postalCodeFormat")]
    [InlineData("FR", "75008", null)]
    [InlineData("FR", "7500A", "postalCodeFormat")]
    [InlineData("NL", "1012 AB", null)]
    [InlineData("NL", "0123 AB", "postalCodeFormat")]
    [InlineData("AU", "2000", null)]
    [InlineData("AU", "20000", "postalCodeFormat")]
    [InlineData("JP", "100-0001", null)]
    [InlineData("JP", "1000001", null)]
    [InlineData("JP", "100-001", "postalCodeFormat")]
    [InlineData("IN", "110001", null)]
    [InlineData("IN", "011001", "postalCodeFormat")]
    [InlineData("BR", "anything", null)]
    public void Validate_PostalCode_FollowsCountryFormat(string country, string postalCode, string? rule)
    {
        var province = country switch { "US" => "IL", "CA" => "ON", "AU" => "NSW", _ => null };
        var errors = Validate(Base with { CountryCode = country, PostalCode = postalCode, Province = province });

        if (rule is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            var error = Assert.Single(errors);
            Assert.Equal(("shippingAddress.postalCode", rule), (error.Field, error.Rule));
            Assert.Contains(country, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("US", "62701")]
    [InlineData("CA", "K1A 0B1")]
    [InlineData("AU", "2000")]
    public void Validate_ProvinceMissingWhereRequired_FailsRequired(string country, string postalCode)
    {
        var error = Assert.Single(Validate(Base with { CountryCode = country, PostalCode = postalCode, Province = " " }));

        Assert.Equal(("shippingAddress.province", "required"), (error.Field, error.Rule));
    }

    [Theory]
    [InlineData("US", "62701", "XX", "subdivisionCode")]
    [InlineData("US", "62701", "Illinois", "subdivisionCode")]
    [InlineData("US", "62701", "il", null)]
    [InlineData("US", "20001", "DC", null)]
    [InlineData("CA", "K1A 0B1", "QC", null)]
    [InlineData("CA", "K1A 0B1", "TX", "subdivisionCode")]
    [InlineData("AU", "2000", "VIC", null)]
    public void Validate_ProvinceCode_MustBeKnownForCountry(string country, string postalCode, string province, string? rule)
    {
        var errors = Validate(Base with { CountryCode = country, PostalCode = postalCode, Province = province });

        Assert.Equal(rule, errors.SingleOrDefault()?.Rule);
    }

    [Fact]
    public void Validate_ProvinceOutsideRequiredCountries_NotChecked()
    {
        Assert.Empty(Validate(Base with { CountryCode = "DE", PostalCode = "10115", Province = "Berlin" }));
        Assert.Empty(Validate(Base with { CountryCode = "DE", PostalCode = "10115", Province = null }));
    }

    [Theory]
    [InlineData("US", "+1 212-555-0147", null)]
    [InlineData("US", "(217) 555-0100", null)]
    [InlineData("GB", "020 7946 0958", null)]
    [InlineData("DE", "+49 30 901820", null)]
    [InlineData("US", "12", "phonePossible")]
    [InlineData("US", "not a phone", "phoneFormat")]
    [InlineData("US", "+1 212 555 01471", "phonePossible")]
    [InlineData("US", "+1 212 555 0147 1234 5678 9012", "phoneFormat")]
    public void Validate_Phone_MustBePossibleForCountry(string country, string phone, string? rule)
    {
        var province = country == "US" ? "NY" : null;
        var postal = country switch { "US" => "10118", "GB" => "N1 9GU", _ => "10115" };
        var errors = Validate(Base with { CountryCode = country, PostalCode = postal, Province = province, Phone = phone });

        if (rule is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            var error = Assert.Single(errors);
            Assert.Equal(("shippingAddress.phone", rule), (error.Field, error.Rule));
        }
    }

    [Fact]
    public void Validate_NoPhone_NotChecked()
    {
        Assert.Empty(Validate(Base with { PostalCode = "62701", Province = "IL", Phone = null }));
    }

    [Fact]
    public void OrderValidator_BadPostalAndProvince_ReportsBothAsAddressErrors()
    {
        var order = TestOrders.Valid();
        order = order with { ShippingAddress = order.ShippingAddress with { PostalCode = "ABCDE", Province = "ZZ" } };

        var result = OrderValidator.Validate(order, TestOrders.Catalog);

        Assert.True(result.OnlyAddressErrors);
        Assert.Equal(["postalCodeFormat", "subdivisionCode"], result.Errors.Select(e => e.Rule).Order(StringComparer.Ordinal));
    }

    private static List<ValidationError> Validate(Address address)
    {
        var errors = new List<ValidationError>();
        AddressRules.Validate(address, errors);
        return errors;
    }
}
