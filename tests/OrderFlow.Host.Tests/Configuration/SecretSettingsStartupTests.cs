using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Host.Tests.Configuration;

/// <summary>
/// The one-machine host refuses to start on a secret that is an unresolved Key Vault reference, too short, or one of the
/// published sample values outside Development; scripts/local-env.sh's values start it in Development.
/// </summary>
public sealed partial class SecretSettingsStartupTests
{
    [Theory]
    [InlineData("Operations:OperatorKey", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/operator-key/)", "is an unresolved Key Vault reference")]
    [InlineData("Approvals:SigningKey", "@Microsoft.KeyVault(VaultName=kv;SecretName=approvals-signing-key)", "is an unresolved Key Vault reference")]
    [InlineData("Intake:ShopifyWebhookSecret", "@Microsoft.KeyVault(VaultName=kv;SecretName=shopify)", "is an unresolved Key Vault reference")]
    [InlineData("Operations:OperatorKey", "short-operator-key-0123456789", "must be at least 32 characters")]
    [InlineData("Intake:FulfillmentCallbackSecret", "fifteen-chars-x", "must be at least 16 characters")]
    [InlineData("Store:StatusLinkKey", "status-link-key-too-short", "must be at least 32 characters")]
    [InlineData("Intake:ShopifyWebhookSecret", "local-dev-shopify-secret", "is the published sample value")]
    [InlineData("Operations:OperatorKey", "local-dev-operator-key-not-for-production", "is the published sample value")]
    [InlineData("FulfillmentPartners:SigningSecret", "local-dev-fulfillment-partners-signing-secret", "is the published sample value")]
    public void Start_ProductionWithBadSecret_RefusesNamingTheKey(string key, string value, string rule)
    {
        var settings = ProductionSettings();
        settings[key] = value;
        using var provider = Build(Environments.Production, settings);

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
        using var provider = Build(Environments.Production, settings);

        var error = StartupFailure(provider);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", "http://127.0.0.1:9091", "Channels:Shopify:AdminBaseUrl must use https in the Production environment")]
    [InlineData("Production", "https://shopify-proxy.example.com", null)]
    [InlineData("Staging", "http://127.0.0.1:9091", null)]
    public void Start_ShopifyAdminBaseUrl_PlainHttpRefusedOnlyInProduction(string environment, string adminBaseUrl, string? refusal)
    {
        var settings = ProductionSettings();
        settings["Channels:Shopify:ShopDomain"] = "orderflow-test.myshopify.com";
        settings["Channels:Shopify:AccessToken"] = "shpat_own_token_0123456789abcdef";
        settings["Channels:Shopify:Locations"] = "WH-EAST=1";
        settings["Channels:Shopify:AdminBaseUrl"] = adminBaseUrl;
        using var provider = Build(environment, settings);

        if (refusal is null)
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        else
        {
            Assert.Contains(refusal, StartupFailure(provider).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Start_ProductionWithOwnSecrets_Starts()
    {
        using var provider = Build(Environments.Production, ProductionSettings());

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Start_ProductionWithTheLocalEnvValues_RefusesEverySampleSecret()
    {
        var settings = LocalEnv();
        settings["Adapters:AllowSandboxInProduction"] = "true";
        using var provider = Build(Environments.Production, settings);

        var error = StartupFailure(provider);

        foreach (var key in new[] { "Intake:ShopifyWebhookSecret", "Intake:FulfillmentCallbackSecret", "Approvals:SigningKey", "Operations:OperatorKey", "EasyPost:WebhookSecret" })
        {
            Assert.Contains($"{key} is the published sample value", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Start_DevelopmentWithTheLocalEnvValues_Starts()
    {
        using var provider = Build(Environments.Development, LocalEnv());

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.True(provider.GetRequiredService<SecretSetting>().AllowsSampleValues);
    }

    // One failing section throws OptionsValidationException; several throw them inside an AggregateException.
    private static Exception StartupFailure(ServiceProvider provider)
    {
        var error = Record.Exception(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.True(error is OptionsValidationException or AggregateException, $"start-up validation should refuse, got: {error}");
        return error;
    }

    private static ServiceProvider Build(string environment, Dictionary<string, string?> settings)
    {
        settings["Engine:Backend"] = "InMemory";
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new TestEnvironment(environment));
        services.AddLogging();
        services.AddOrderFlowHost(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    /// <summary>scripts/local-env.sh's defaults (export Section__Key="${Section__Key:-value}") as configuration keys.</summary>
    private static Dictionary<string, string?> LocalEnv()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in ExportLine().Matches(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "local-env.sh"))))
        {
            settings[match.Groups["key"].Value.Replace("__", ":", StringComparison.Ordinal)] = match.Groups["value"].Value;
        }

        Assert.True(settings.Count > 20, "local-env.sh should export the local settings.");
        return settings;
    }

    /// <summary>The local settings with every secret replaced by one of the deployment's own.</summary>
    private static Dictionary<string, string?> ProductionSettings()
    {
        var settings = LocalEnv();
        settings["Adapters:AllowSandboxInProduction"] = "true";
        settings["Host:SandboxWarehouse"] = "false";
        settings["Intake:ShopifyWebhookSecret"] = "prod-shopify-app-secret-5f0c2a";
        settings["Intake:FulfillmentCallbackSecret"] = "prod-callback-secret-9d41b7e0";
        settings["Intake:GenericSecret"] = "prod-generic-intake-secret-77aa";
        settings["Intake:GenericApiKey"] = "prod-generic-intake-api-key-0123456789abcdef";
        settings["Intake:WooCommerceWebhookSecret"] = "prod-woo-secret-1c2d";
        settings["EasyPost:WebhookSecret"] = "prod-easypost-webhook-secret-31";
        settings["Approvals:SigningKey"] = "prod-approvals-signing-key-0123456789abcdef";
        settings["Operations:OperatorKey"] = "prod-operator-key-0123456789abcdef0123";
        settings["FulfillmentPartners:SigningSecret"] = "prod-partners-signing-secret-42";
        return settings;
    }

    [GeneratedRegex("""^export (?<key>[A-Za-z0-9_]+)="\$\{[A-Za-z0-9_]+:-(?<value>[^}]*)\}"$""", RegexOptions.Multiline)]
    private static partial Regex ExportLine();
}
