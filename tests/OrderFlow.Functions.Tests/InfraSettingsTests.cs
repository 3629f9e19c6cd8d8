using System.Text.Json;
using System.Text.RegularExpressions;
using OrderFlow.Api;

namespace OrderFlow.Functions.Tests;

/// <summary>
/// infra/*.bicep and local.settings.sample.json cannot drift: every app setting the Bicep gives the Function App is a key
/// the app knows, and every secret the app knows reaches it on Azure as a Key Vault reference fed from the azd environment.
/// </summary>
public sealed class InfraSettingsTests
{
    /// <summary>Read by the Functions host and the platform, not by OrderFlow's options: identity-based host storage, telemetry.</summary>
    private static readonly string[] PlatformSettings =
    [
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "AZURE_FUNCTIONS_ENVIRONMENT",
    ];

    /// <summary>The credentials issue 9 (and the QuickBooks adapter of issue 8) put in Key Vault.</summary>
    private static readonly string[] RequiredSecrets =
    [
        "Stripe__ApiKey",
        "Stripe__WebhookSecret",
        "QuickBooks__ClientSecret",
        "QuickBooks__RefreshToken",
        "EasyPost__ApiKey",
        "EasyPost__WebhookSecret",
        "FulfillmentPartners__SigningSecret",
        "Intake__ShopifyWebhookSecret",
        "Intake__FulfillmentCallbackSecret",
        "Intake__FulfillmentCallbackPreviousSecret",
        "Intake__GenericSecret",
        "Intake__GenericApiKey",
        "Intake__WooCommerceWebhookSecret",
        "Approvals__SigningKey",
        "Operations__OperatorKey",
        "Smtp__Username",
        "Smtp__Password",
        "Cases__ChatWebhookUrl",
        "Channels__Shopify__AccessToken",
        "Channels__WooCommerce__ConsumerKey",
        "Channels__WooCommerce__ConsumerSecret",
    ];

    private const string KeyVaultReferences =
        "toObject(secrets, secret => secret.setting, secret => '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName=${secret.name})')";

    private readonly BicepFile app = BicepFile.Load("app.bicep");
    private readonly BicepFile main = BicepFile.Load("main.bicep");
    private readonly IReadOnlyDictionary<string, string> sample = LocalSettingsSample.Values();

    public static TheoryData<string> BicepAppSettings() => new(AllBicepSettings());

    public static TheoryData<string> SampleSecrets() => new(SampleSecretSettings());

    public static TheoryData<string> BicepSecretSettings() => new(SecretSettings());

    [Theory]
    [MemberData(nameof(BicepAppSettings))]
    public void BicepAppSetting_OrderFlowSetting_IsAKeyInTheSample(string setting)
    {
        if (PlatformSettings.Contains(setting, StringComparer.Ordinal))
        {
            return;
        }

        Assert.True(
            sample.ContainsKey(setting),
            $"infra/app.bicep sets '{setting}', which local.settings.sample.json does not list: a typo, or a key to add there (and to docs/configuration.md).");
    }

    [Fact]
    public void BicepAppSettings_AsRead_IncludePlainSecretAndPlatformSettings()
    {
        // Guards the reader: the theories above and below would pass vacuously on an empty list.
        var settings = AllBicepSettings();

        Assert.Contains("Smtp__Host", settings);
        Assert.Contains("OrderFlowTaskHub", settings);
        Assert.Contains("Intake__ShopifyWebhookSecret", settings);
        Assert.All(PlatformSettings, s => Assert.Contains(s, settings));
        Assert.Equal(settings.Count, settings.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [MemberData(nameof(SampleSecrets))]
    public void SampleSecret_IsAKeyVaultReferenceInBicep(string setting)
    {
        var secret = Assert.Single(BicepSecrets(), s => s["setting"] == setting);

        // Key Vault names allow letters, digits and dashes only: '--' stands for the '__' (':') separator.
        Assert.Equal($"'{setting.Replace("__", "--", StringComparison.Ordinal)}'", secret["name"]);
        Assert.DoesNotContain(setting, BicepPlainSettings());
    }

    [Fact]
    public void SampleSecrets_IncludeEveryCredentialTheDeploymentStoresInKeyVault()
    {
        var secrets = SampleSecretSettings();

        Assert.All(RequiredSecrets, required => Assert.Contains(required, secrets));
        Assert.Equal(RequiredSecrets.Order(StringComparer.Ordinal), SecretSettings().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BicepPlainSettings_HoldNoSecretsAndNoConnectionStrings()
    {
        // Storage is identity-based on Azure (the account allows no shared keys), so no OrderFlow connection string either.
        var offending = BicepPlainSettings()
            .Where(s => !PlatformSettings.Contains(s, StringComparer.Ordinal))
            .Where(s => IsSecret(s) || s.EndsWith("ConnectionString", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void BicepSecretSettings_ReachTheAppAsKeyVaultReferencesResolvedWithItsIdentity()
    {
        Assert.Equal(KeyVaultReferences, app.VariableExpression("secretAppSettings"));
        Assert.Equal(1, app.Count("'Microsoft.Web/sites/config@"));
        Assert.True(
            app.Contains("properties: union(operatorAppSettings, baseAppSettings, secretAppSettings)"),
            "the appsettings resource must set baseAppSettings + secretAppSettings over the settings already on the app.");
        Assert.False(app.Contains("appSettings:"), "app settings belong in the appsettings resource, not in siteConfig.");
        Assert.True(app.Contains("keyVaultReferenceIdentity: identity.id"), "Key Vault references must resolve with the app's user-assigned identity.");
        Assert.True(app.Contains("for secret in secrets: {"), "every entry of 'secrets' must become a Key Vault secret.");
        Assert.True(app.Contains("name: secret.name") && app.Contains("value: secret.value"), "the Key Vault secret must carry the entry's name and value.");
    }

    [Theory]
    [MemberData(nameof(BicepSecretSettings))]
    public void BicepSecret_ComesFromAnAzdEnvironmentValueWithTheUnsetPlaceholder(string setting)
    {
        var secret = Assert.Single(BicepSecrets(), s => s["setting"] == setting);
        var value = Regex.Match(secret["value"], @"^empty\((?<p>\w+)\) \? unsetSecret : (?<q>\w+)$");
        Assert.True(value.Success && value.Groups["p"].Value == value.Groups["q"].Value, $"{setting}: value must be 'empty(param) ? unsetSecret : param', not '{secret["value"]}'.");
        var parameter = value.Groups["p"].Value;

        Assert.Equal("'UNSET'", app.VariableExpression("unsetSecret"));
        Assert.Contains(parameter, app.SecureParameters());
        Assert.Contains(parameter, main.SecureParameters());
        Assert.True(main.Contains($"param {parameter} string = ''"), $"main.bicep: {parameter} must default to empty (placeholder), so azd never prompts for it.");
        Assert.True(main.Contains($"{parameter}: {parameter}"), $"main.bicep must pass {parameter} to app.bicep.");
        Assert.Matches(@"^\$\{[A-Z][A-Z0-9_]*=\}$", AzdParameter(parameter));
    }

    [Fact]
    public void BicepAppSettings_SelectTheRealAdaptersAndDeployNoSandbox()
    {
        var settings = app.ObjectEntries("baseAppSettings");

        Assert.Equal("'Stripe'", settings["Adapters__Payment"]);
        Assert.Equal("'EasyPost'", settings["Adapters__Carrier"]);
        Assert.Equal("'QuickBooks'", settings["Adapters__Accounting"]);
        Assert.Equal("'false'", settings["Adapters__AllowSandboxInProduction"]);
        Assert.Equal("'Production'", settings["AZURE_FUNCTIONS_ENVIRONMENT"]);
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("Host__Sandbox", StringComparison.Ordinal));
        Assert.DoesNotContain(settings, kv => kv.Value.Contains("sandbox", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(SecretSettings(), s => s.StartsWith("Host__", StringComparison.Ordinal) || s.StartsWith("Adapters__", StringComparison.Ordinal));

        // Nor through a parameter default: nothing the azd environment feeds in defaults to a sandbox.
        Assert.DoesNotContain("sandbox", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "infra", "main.parameters.json")), StringComparison.OrdinalIgnoreCase);
        Assert.False(main.Contains("sandbox-quickbooks"), "main.bicep must default QuickBooks to the production API.");
    }

    [Fact]
    public void BicepAppSettings_KeepSettingsTheTemplateDoesNotOwn()
    {
        // A provision re-applies the owned keys and keeps every other setting already on the app (set by hand).
        Assert.Equal("list('${functionApp.id}/config/appsettings', '2024-04-01').properties", app.VariableExpression("operatorAppSettings"));
        Assert.Equal(1, app.Count("union(operatorAppSettings, baseAppSettings, secretAppSettings)"));
    }

    [Fact]
    public void HostJson_SettingPlaceholders_AreSetByBicepAndListedInTheSample()
    {
        // host.json comes through the Functions project reference: the very file the app ships.
        var hostJson = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json"));
        var placeholders = Regex.Matches(hostJson, "%(?<name>[A-Za-z0-9_]+)%").Select(m => m.Groups["name"].Value).Distinct().ToList();

        Assert.Contains("OrderFlowTaskHub", placeholders);
        Assert.All(placeholders, p =>
        {
            Assert.Contains(p, BicepPlainSettings());
            Assert.Contains(p, (IEnumerable<string>)sample.Keys);
        });
    }

    [Fact]
    public void MainOutputs_AreUpperSnakeAndPrintTheShopifyWebhookUrlOfTheRoute()
    {
        var outputs = Regex.Matches(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "infra", "main.bicep")), @"^output\s+(?<name>\w+)\s", RegexOptions.Multiline)
            .Select(m => m.Groups["name"].Value)
            .ToList();

        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.Matches("^[A-Z][A-Z0-9_]*$", o));
        Assert.True(
            main.Contains($"output SHOPIFY_WEBHOOK_URL string = '${{app.outputs.functionAppUri}}/{ApiRoutes.Prefix}/{ApiRoutes.ShopifyOrdersCreate}'"),
            "SHOPIFY_WEBHOOK_URL must be the app's URI + the Shopify intake route.");
        Assert.True(
            main.Contains($"output SHOPIFY_CANCELLED_WEBHOOK_URL string = '${{app.outputs.functionAppUri}}/{ApiRoutes.Prefix}/{ApiRoutes.ShopifyOrdersCancelled}'"),
            "SHOPIFY_CANCELLED_WEBHOOK_URL must be the app's URI + the Shopify orders/cancelled route.");
    }

    private static List<string> AllBicepSettings() => [.. BicepPlainSettings(), .. SecretSettings()];

    private static List<string> SecretSettings() => BicepSecrets().Select(s => s["setting"]).ToList();

    private static List<string> SampleSecretSettings() => LocalSettingsSample.Values().Keys.Where(IsSecret).ToList();

    private static IReadOnlyList<string> BicepPlainSettings() => BicepFile.Load("app.bicep").ObjectKeys("baseAppSettings");

    /// <summary>The entries of app.bicep's 'secrets' (name, setting, value as Bicep text: strings keep their quotes).</summary>
    private static IReadOnlyList<IReadOnlyDictionary<string, string>> BicepSecrets() =>
        BicepFile.Load("app.bicep").ArrayOfObjects("secrets")
            .Select(s => (IReadOnlyDictionary<string, string>)s.ToDictionary(
                kv => kv.Key,
                kv => kv.Key == "setting" ? kv.Value.Trim('\'') : kv.Value,
                StringComparer.Ordinal))
            .ToList();

    /// <summary>A credential by its name: the last segment says secret, password, key, token or username, or it is a webhook URL (which carries a token).</summary>
    private static bool IsSecret(string setting)
    {
        var key = setting[(setting.LastIndexOf("__", StringComparison.Ordinal) + 2)..];
        return setting.Contains("__", StringComparison.Ordinal)
            && (key.EndsWith("Secret", StringComparison.Ordinal)
                || key.EndsWith("Password", StringComparison.Ordinal)
                || key.EndsWith("Key", StringComparison.Ordinal)
                || key.EndsWith("Token", StringComparison.Ordinal)
                || key.EndsWith("Username", StringComparison.Ordinal)
                || key.EndsWith("WebhookUrl", StringComparison.Ordinal));
    }

    private static string AzdParameter(string parameter)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "infra", "main.parameters.json")));
        Assert.True(
            document.RootElement.GetProperty("parameters").TryGetProperty(parameter, out var entry),
            $"infra/main.parameters.json does not feed {parameter} from the azd environment.");
        return entry.GetProperty("value").GetString()!;
    }
}
