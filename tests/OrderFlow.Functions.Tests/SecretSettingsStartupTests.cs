using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Functions.Tests;

/// <summary>
/// The Functions worker refuses to start on a secret that is an unresolved Key Vault reference (what App Service hands
/// over when a reference fails), too short, or a published sample value outside Development.
/// </summary>
public sealed class SecretSettingsStartupTests
{
    [Theory]
    [InlineData("Operations:OperatorKey", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/operator-key/)", "is an unresolved Key Vault reference")]
    [InlineData("Approvals:SigningKey", "@Microsoft.KeyVault(VaultName=kv;SecretName=approvals-signing-key)", "is an unresolved Key Vault reference")]
    [InlineData("Intake:ShopifyWebhookSecret", "@Microsoft.KeyVault(VaultName=kv;SecretName=shopify)", "is an unresolved Key Vault reference")]
    [InlineData("Stripe:WebhookSecret", "@Microsoft.KeyVault(VaultName=kv;SecretName=stripe-webhook)", "is an unresolved Key Vault reference")]
    [InlineData("FulfillmentPartners:Locations:0:Secret", "@Microsoft.KeyVault(VaultName=kv;SecretName=acme)", "is an unresolved Key Vault reference")]
    [InlineData("Operations:OperatorKey", "short-operator-key-0123456789", "must be at least 32 characters")]
    [InlineData("Approvals:SigningKey", "approvals-key-too-short", "must be at least 32 characters")]
    [InlineData("Intake:GenericSecret", "fifteen-chars-x", "must be at least 16 characters")]
    [InlineData("Intake:ShopifyWebhookSecret", "local-dev-shopify-secret", "is the published sample value")]
    [InlineData("Approvals:SigningKey", "local-dev-approvals-signing-key-not-for-production", "is the published sample value")]
    [InlineData("Stripe:ApiKey", "sk_test_local_dev_placeholder", "is the published sample value")]
    public void Start_ProductionWithBadSecret_RefusesNamingTheKey(string key, string value, string rule)
    {
        var settings = ProductionSettings();
        settings["FulfillmentPartners:Locations:0:Location"] = "ACME-3PL";
        settings["FulfillmentPartners:Locations:0:Secret"] = "acme-own-callback-secret-0123";
        settings[key] = value;
        using var provider = BuildProvider(settings, Environments.Production);

        var error = StartupFailure(provider);

        Assert.Contains($"{key} {rule}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Fraud:CancelScore", "50", "Fraud:CancelScore (50) must be at least Fraud:ReviewScore (70).")]
    [InlineData("Fraud:Weights:CountryMismatch", "150", "Fraud:Weights:CountryMismatch must be between 0 and 100.")]
    [InlineData("Fraud:VelocityWindow", "-00:10:00", "Fraud:VelocityWindow must be a positive duration")]
    [InlineData("Fraud:ForwarderPatterns:0", "[unclosed", "Fraud:ForwarderPatterns:0 is not a valid regular expression")]
    public void Start_BadFraudRule_RefusesNamingTheKey(string key, string value, string message)
    {
        var settings = ProductionSettings();
        settings[key] = value;
        using var provider = BuildProvider(settings, Environments.Production);

        var error = StartupFailure(provider);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ProductionWithOwnSecrets_Starts()
    {
        using var provider = BuildProvider(ProductionSettings(), Environments.Production);

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Start_AzureFunctionsEnvironmentProductionWithSampleSecrets_RefusesEachSampleKey()
    {
        var settings = SampleSettings();
        settings["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production";
        settings["Adapters:AllowSandboxInProduction"] = "true";
        using var provider = BuildProvider(settings, Environments.Development);

        var error = StartupFailure(provider);

        foreach (var key in new[] { "Intake:ShopifyWebhookSecret", "Intake:GenericSecret", "Intake:GenericApiKey", "Approvals:SigningKey", "Operations:OperatorKey", "Stripe:WebhookSecret", "EasyPost:ApiKey" })
        {
            Assert.Contains($"{key} is the published sample value", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Start_DevelopmentWithTheSampleSettings_Starts()
    {
        var settings = SampleSettings();
        settings["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        using var provider = BuildProvider(settings, Environments.Production);

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.True(provider.GetRequiredService<SecretSetting>().AllowsSampleValues);
    }

    [Fact]
    public void SampleValues_ListEverySecretOfLocalSettingsSample()
    {
        var secrets = LocalSettingsSample.Values()
            .Where(p => p.Value.Length > 0 && (p.Key.EndsWith("Secret", StringComparison.Ordinal) || p.Key.EndsWith("Key", StringComparison.Ordinal)
                || p.Key.EndsWith("Token", StringComparison.Ordinal) || p.Key.EndsWith("Password", StringComparison.Ordinal)))
            .ToList();

        Assert.NotEmpty(secrets);
        Assert.All(secrets, p => Assert.True(SecretSetting.SampleValues.Contains(p.Value), $"{p.Key}'s sample value is missing from SecretSetting.SampleValues."));
    }

    // One failing section throws OptionsValidationException; several throw them inside an AggregateException.
    private static Exception StartupFailure(ServiceProvider provider)
    {
        var error = Record.Exception(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.True(error is OptionsValidationException or AggregateException, $"start-up validation should refuse, got: {error}");
        return error;
    }

    private static ServiceProvider BuildProvider(Dictionary<string, string?> settings, string hostEnvironment)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = hostEnvironment, ApplicationName = "OrderFlow.Functions", ContentRootPath = AppContext.BaseDirectory });
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddOrderFlowFunctions(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>The sample settings with every secret replaced by one of the deployment's own.</summary>
    private static Dictionary<string, string?> ProductionSettings()
    {
        var settings = SampleSettings();
        settings.Remove("AZURE_FUNCTIONS_ENVIRONMENT");
        settings["Adapters:AllowSandboxInProduction"] = "true";
        settings["Intake:ShopifyWebhookSecret"] = "prod-shopify-app-secret-5f0c2a";
        settings["Intake:FulfillmentCallbackSecret"] = "prod-callback-secret-9d41b7e0";
        settings["Intake:GenericSecret"] = "prod-generic-intake-secret-77aa";
        settings["Intake:GenericApiKey"] = "prod-generic-intake-api-key-0123456789abcdef";
        settings["Intake:WooCommerceWebhookSecret"] = "prod-woo-secret-1c2d";
        settings["Stripe:ApiKey"] = "sk_live_prod_0123456789abcdef";
        settings["Stripe:WebhookSecret"] = "whsec_prod_0123456789abcdef";
        settings["EasyPost:ApiKey"] = "EZAK_prod_0123456789abcdef";
        settings["EasyPost:WebhookSecret"] = "prod-easypost-webhook-secret-31";
        settings["Approvals:SigningKey"] = "prod-approvals-signing-key-0123456789abcdef";
        settings["Operations:OperatorKey"] = "prod-operator-key-0123456789abcdef0123";
        settings["FulfillmentPartners:SigningSecret"] = "prod-partners-signing-secret-42";
        return settings;
    }

    /// <summary>local.settings.sample.json's Values as configuration keys (Section__Key = Section:Key).</summary>
    private static Dictionary<string, string?> SampleSettings() =>
        LocalSettingsSample.Values().ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value, StringComparer.OrdinalIgnoreCase);
}
