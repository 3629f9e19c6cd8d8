using System.Globalization;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Email;

namespace OrderFlow.Integrations.Tests.Email;

public sealed class CurrencyFormatterTests
{
    [Theory]
    [InlineData(1250, "USD", "en-US", "$12.50")]
    [InlineData(5451, "USD", "en-US", "$54.51")]
    [InlineData(-500, "USD", "en-US", "-$5.00")]
    [InlineData(1500, "JPY", "en-US", "¥1,500")]
    [InlineData(1500, "JPY", "ja-JP", "￥1,500")]
    [InlineData(1250, "EUR", "en-US", "€12.50")]
    [InlineData(1250, "USD", "en-GB", "US$12.50")]
    [InlineData(1250, "GBP", "en-GB", "£12.50")]
    [InlineData(1250, "CAD", "en-US", "CA$12.50")]
    [InlineData(1250, "CHF", "en-US", "CHF 12.50")]
    [InlineData(1234567, "KWD", "en-US", "KWD 1,234.567")]
    [InlineData(123456789012345678, "USD", "en-US", "$1,234,567,890,123,456.78")]
    public void Format_AmountCurrencyCulture_WritesExactlyThis(long minorUnits, string currency, string culture, string expected)
    {
        Assert.Equal(expected, CurrencyFormatter.Format(new Money(minorUnits, currency), CultureInfo.GetCultureInfo(culture)));
    }

    [Fact]
    public void Format_EuroInGermany_UsesCommaAndSymbolAfter()
    {
        var text = CurrencyFormatter.Format(new Money(123456, "EUR"), CultureInfo.GetCultureInfo("de-DE"));

        Assert.Equal("1.234,56 €", text.Replace('\u00a0', ' '));
    }

    [Theory]
    [InlineData("en-GB", "en-US", "en-GB")]
    [InlineData("fr-FR", "en-US", "en-US")]
    [InlineData("en", "en-US", "en-US")]
    [InlineData("not a locale", "en-GB", "en-GB")]
    [InlineData(null, "de-DE", "de-DE")]
    [InlineData(null, "xx-QQ", "en-US")]
    public void Resolve_CustomerAndStoreLocale_PicksCustomerOnlyWhenSameLanguage(string? customer, string store, string expected)
    {
        Assert.Equal(expected, EmailCulture.Resolve(customer, store).Name);
    }
}
