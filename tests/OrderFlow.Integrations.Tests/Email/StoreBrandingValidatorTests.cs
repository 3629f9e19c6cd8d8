using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Notifications;

namespace OrderFlow.Integrations.Tests.Email;

public sealed class StoreBrandingValidatorTests
{
    private readonly StoreBrandingValidator validator = new();

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = TestStore.Options();

        Assert.True(validator.Validate(null, options).Succeeded);
        Assert.Equal("en-US", options.Locale);
        Assert.Equal(StoreOptions.DefaultPrimaryColor, options.PrimaryColor);
    }

    [Fact]
    public void Validate_FullBranding_Succeeds()
    {
        var options = TestStore.Options();
        options.LogoUrl = "https://cdn.shop.example.com/logo.png";
        options.PrimaryColor = "#a30";
        options.SupportPhone = "+44 (20) 7946.0000";
        options.Locale = "en-GB";

        Assert.True(validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("LogoUrl", "javascript:alert(1)", "Store:LogoUrl")]
    [InlineData("LogoUrl", "/logo.png", "Store:LogoUrl")]
    [InlineData("PrimaryColor", "blue", "Store:PrimaryColor")]
    [InlineData("PrimaryColor", "#12345G", "Store:PrimaryColor")]
    [InlineData("PrimaryColor", "#1234\" onload=\"x", "Store:PrimaryColor")]
    [InlineData("SupportPhone", "call us", "Store:SupportPhone")]
    [InlineData("SupportPhone", "<a>123</a>", "Store:SupportPhone")]
    [InlineData("Locale", "xx-QQ", "Store:Locale")]
    [InlineData("Locale", "en", "Store:Locale")]
    [InlineData("Locale", "", "Store:Locale")]
    public void Validate_BadValue_FailsNamingTheKey(string property, string value, string key)
    {
        var options = TestStore.Options();
        typeof(StoreOptions).GetProperty(property)!.SetValue(options, value);

        var result = validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }
}
