using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Options;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Api.Tests.Security;

/// <summary>Start-up checks of the callback keys: rotation settings and the tolerance window, each failure naming its key.</summary>
public sealed class CallbackOptionsValidationTests
{
    [Theory]
    [InlineData("00:00:29", "Intake:CallbackTolerance must be between 00:00:30 and 01:00:00.")]
    [InlineData("01:00:01", "Intake:CallbackTolerance must be between 00:00:30 and 01:00:00.")]
    public void Intake_ToleranceOutsideItsRange_FailsNamingTheKey(string tolerance, string expected) =>
        Assert.Contains(expected, Failures(new IntakeOptions { ShopifyWebhookSecret = "shopify-app-secret-0123", FulfillmentCallbackSecret = "callback-secret-0123", CallbackTolerance = TimeSpan.Parse(tolerance, System.Globalization.CultureInfo.InvariantCulture) }));

    [Theory]
    [InlineData("short-previous", "Intake:FulfillmentCallbackPreviousSecret must be at least 16 characters.")]
    [InlineData("callback-secret-0123", "Intake:FulfillmentCallbackPreviousSecret equals Intake:FulfillmentCallbackSecret")]
    public void Intake_PreviousSecretTooShortOrTheSame_FailsNamingTheKey(string previous, string expected) =>
        Assert.Contains(Failures(new IntakeOptions { ShopifyWebhookSecret = "shopify-app-secret-0123", FulfillmentCallbackSecret = "callback-secret-0123", FulfillmentCallbackPreviousSecret = previous }), f => f.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void Intake_Defaults_ValidWithAFiveMinuteToleranceAndOneKey()
    {
        var options = new IntakeOptions { ShopifyWebhookSecret = "shopify-app-secret-0123", FulfillmentCallbackSecret = "callback-secret-0123", FulfillmentCallbackPreviousSecret = "UNSET" };

        Assert.Empty(Failures(options));
        Assert.Equal(TimeSpan.FromMinutes(5), options.CallbackTolerance);
        Assert.Equal(["callback-secret-0123"], options.FulfillmentCallbackSecrets());
    }

    [Fact]
    public void Partners_CallbackKeysOfALocation_ShortPreviousWithoutSecretOrTheSameRefused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FulfillmentPartners:Locations:0:Location"] = "WH-EAST",
            ["FulfillmentPartners:Locations:0:Secret"] = "too-short",
            ["FulfillmentPartners:Locations:1:Location"] = "WH-WEST",
            ["FulfillmentPartners:Locations:1:PreviousSecret"] = "west-old-callback-key-01",
            ["FulfillmentPartners:Locations:2:Location"] = "WH-NORTH",
            ["FulfillmentPartners:Locations:2:Secret"] = "north-callback-key-0123",
            ["FulfillmentPartners:Locations:2:PreviousSecret"] = "north-callback-key-0123",
            ["FulfillmentPartners:Locations:3:Location"] = "WH-SOUTH",
            ["FulfillmentPartners:Locations:3:Secret"] = "south-callback-key-0123",
            ["FulfillmentPartners:Locations:3:PreviousSecret"] = "south-old-callback-key-0",
        }).Build();
        using var provider = new ServiceCollection().AddOrderFlowFulfillment(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FulfillmentPartnersOptions>>().Value);

        Assert.Equal(
            [
                "FulfillmentPartners:Locations:0:Secret must be at least 16 characters.",
                "FulfillmentPartners:Locations:1:PreviousSecret is set but FulfillmentPartners:Locations:1:Secret is not: rotation keeps the old key next to the new one.",
                "FulfillmentPartners:Locations:2:PreviousSecret equals FulfillmentPartners:Locations:2:Secret; set it to the key being replaced, or leave it empty.",
            ],
            ex.Failures);
        var options = configuration.GetSection(FulfillmentPartnersOptions.Section).Get<FulfillmentPartnersOptions>()!;
        Assert.Equal(["south-callback-key-0123", "south-old-callback-key-0"], options.CallbackSecretsOf("wh-south"));
        Assert.Empty(options.CallbackSecretsOf("WH-WEST"));
        Assert.Empty(options.CallbackSecretsOf("NOT-LISTED"));
    }

    // The section's data annotations plus the shared secret rule, as the hosts run them at start-up.
    private static List<string> Failures(IntakeOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        var secrets = new ApiSecretsValidator(new SecretSetting(null)).Validate(null, options);
        return [.. results.Select(r => r.ErrorMessage ?? string.Empty), .. secrets.Failures ?? []];
    }
}
