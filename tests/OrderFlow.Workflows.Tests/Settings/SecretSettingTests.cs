using OrderFlow.Workflows.Options;

namespace OrderFlow.Workflows.Tests.Settings;

/// <summary>The shared secret rule: Key Vault literal, minimum length, sample values outside Development; the value never echoed.</summary>
public sealed class SecretSettingTests
{
    [Theory]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)", "Operations:OperatorKey is an unresolved Key Vault reference")]
    [InlineData("  @microsoft.keyvault(VaultName=kv;SecretName=x)", "Operations:OperatorKey is an unresolved Key Vault reference")]
    [InlineData("fifteen-chars-x", "Operations:OperatorKey must be at least 16 characters.")]
    [InlineData("local-dev-operator-key-not-for-production", "Operations:OperatorKey is the published sample value")]
    public void Check_Production_RefusesNamingTheKeyWithoutTheValue(string value, string expected)
    {
        var failure = Assert.Single(new SecretSetting("Production").Check(value, "Operations:OperatorKey", 16));

        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
        Assert.DoesNotContain(value.Trim(), failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Staging")]
    [InlineData("Production")]
    public void Check_SampleValueOutsideDevelopment_Refused(string environment) =>
        Assert.Single(new SecretSetting(environment).Check("local-dev-shopify-secret", "Intake:ShopifyWebhookSecret", 16));

    [Theory]
    [InlineData("Development")]
    [InlineData("development")]
    public void Check_SampleValueInDevelopment_Passes(string environment) =>
        Assert.Empty(new SecretSetting(environment).Check("local-dev-shopify-secret", "Intake:ShopifyWebhookSecret", 16));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("UNSET")]
    public void Check_NotSet_LeftToTheSectionsRequiredRule(string? value) =>
        Assert.Empty(new SecretSetting("Production").Check(value, "Stripe:WebhookSecret", 16));

    [Fact]
    public void Check_DevelopmentStillRefusesKeyVaultLiteralAndShortValues()
    {
        var secrets = new SecretSetting("Development");

        Assert.Single(secrets.Check("@Microsoft.KeyVault(VaultName=kv;SecretName=x)", "Approvals:SigningKey", 32));
        Assert.Single(secrets.Check("short", "Approvals:SigningKey", 32));
    }
}
