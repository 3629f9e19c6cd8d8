using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Tests;

public class MoneyTests
{
    [Theory]
    [InlineData("19.99", "USD", 1999)]
    [InlineData("1500", "JPY", 1500)]
    [InlineData("0.10", "EUR", 10)]
    [InlineData("1.234", "KWD", 1234)]
    public void TryParseMinorUnits_ExactDecimal_ReturnsMinorUnits(string text, string currency, long expected)
    {
        Assert.True(Currencies.TryParseMinorUnits(text, currency, out var minor));
        Assert.Equal(expected, minor);
    }

    [Theory]
    [InlineData("19.999", "USD")]
    [InlineData("15.5", "JPY")]
    [InlineData("abc", "USD")]
    [InlineData("1.00", "usd")]
    [InlineData("79228162514264337593543950335", "USD")]
    [InlineData("-79228162514264337593543950335", "KWD")]
    [InlineData("92233720368547758.08", "USD")]
    public void TryParseMinorUnits_TooPreciseOrInvalid_Fails(string text, string currency) =>
        Assert.False(Currencies.TryParseMinorUnits(text, currency, out _));

    [Fact]
    public void Add_DifferentCurrencies_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new Money(1, "USD") + new Money(1, "EUR"));

    [Fact]
    public void Constructor_LowercaseCode_Throws() =>
        Assert.Throws<ArgumentException>(() => new Money(1, "usd"));

    [Fact]
    public void ToString_UsesCurrencyExponent()
    {
        Assert.Equal("12.34 USD", new Money(1234, "USD").ToString());
        Assert.Equal("1234 JPY", new Money(1234, "JPY").ToString());
    }

    [Fact]
    public void Times_MultipliesMinorUnits() => Assert.Equal(new Money(3750, "USD"), new Money(1250, "USD").Times(3));
}
