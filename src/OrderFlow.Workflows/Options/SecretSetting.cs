using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace OrderFlow.Workflows.Options;

/// <summary>
/// The one start-up rule for every secret setting (webhook secrets, signing keys, API keys, tokens): a value that is set
/// must not be an unresolved Key Vault reference (App Service hands the literal <c>@Microsoft.KeyVault(...)</c> to the app
/// when it cannot resolve one), must be at least its minimum length, and must not be a value published in
/// local.settings.sample.json or scripts/local-env.sh unless the environment is Development. Whether a secret is required
/// stays with each section's validator. Messages name the key and never repeat the value.
/// </summary>
public sealed class SecretSetting
{
    /// <summary>How App Service writes a Key Vault reference; it reaches the app verbatim when the reference does not resolve.</summary>
    public const string KeyVaultReferencePrefix = "@Microsoft.KeyVault(";

    /// <summary>Minimum length of the keys we generate and share (signing keys, callback and intake secrets).</summary>
    public const int GeneratedKeyMinLength = 16;

    /// <summary>The secret values of local.settings.sample.json and scripts/local-env.sh: public, so local-only.</summary>
    public static readonly IReadOnlySet<string> SampleValues = new HashSet<string>(StringComparer.Ordinal)
    {
        "local-dev-shopify-secret",
        "local-dev-fulfillment-secret",
        "local-dev-generic-intake-secret",
        "local-dev-generic-intake-api-key-0123456789",
        "local-dev-woocommerce-secret",
        "sk_test_local_dev_placeholder",
        "whsec_local_dev_placeholder",
        "EZTK_local_dev_placeholder",
        "local-dev-easypost-webhook-secret",
        "local-dev-approvals-signing-key-not-for-production",
        "local-dev-operator-key-not-for-production",
        "local-dev-fulfillment-partners-signing-secret",
    };

    /// <param name="environmentName">The resolved environment (<see cref="SandboxInProduction.EnvironmentName"/>); null for a bare service collection.</param>
    public SecretSetting(string? environmentName)
    {
        EnvironmentName = environmentName;
        AllowsSampleValues = environmentName is null || string.Equals(environmentName.Trim(), Environments.Development, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The environment the rule was resolved for (null: no host and no AZURE_FUNCTIONS_ENVIRONMENT).</summary>
    public string? EnvironmentName { get; }

    /// <summary>True in Development (and for a bare service collection): the published sample values are accepted there.</summary>
    public bool AllowsSampleValues { get; }

    /// <summary>Registers the rule for the host's environment, resolved the way <see cref="SandboxInProduction"/> resolves it (once per collection).</summary>
    public static IServiceCollection Register(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(sp => new SecretSetting(SandboxInProduction.EnvironmentName(configuration, sp.GetService<IHostEnvironment>())));
        return services;
    }

    /// <summary>What infra/app.bicep stores in Key Vault for a secret nobody set.</summary>
    public const string UnsetPlaceholder = "UNSET";

    /// <summary>Not empty and not the "UNSET" placeholder infra/app.bicep stores in Key Vault for a secret nobody set.</summary>
    public static bool IsSet(string? value) =>
        !string.IsNullOrWhiteSpace(value) && !string.Equals(value.Trim(), UnsetPlaceholder, StringComparison.Ordinal);

    /// <summary>Like <see cref="Check"/>, and also refuses an empty or "UNSET" value: "{key} is required ({purpose})."</summary>
    public IEnumerable<string> Required(string? value, string key, int minLength, string purpose) =>
        IsSet(value) ? Check(value, key, minLength) : [$"{key} is required ({purpose})."];

    /// <summary>
    /// The failures of <paramref name="value"/> under <paramref name="key"/>; nothing when it is empty or the infra's
    /// "UNSET" placeholder (each section decides whether the secret is required).
    /// </summary>
    public IEnumerable<string> Check(string? value, string key, int minLength)
    {
        if (!IsSet(value))
        {
            yield break;
        }

        var trimmed = value!.Trim();
        if (trimmed.StartsWith(KeyVaultReferencePrefix, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{key} is an unresolved Key Vault reference ({KeyVaultReferencePrefix}...): the app cannot read the secret. "
                + "Check the Key Vault secret's name, the app's managed identity access to the vault, and the reference syntax.";
            yield break;
        }

        if (value.Length < minLength)
        {
            yield return $"{key} must be at least {minLength} characters.";
        }

        if (!AllowsSampleValues && SampleValues.Contains(trimmed))
        {
            yield return $"{key} is the published sample value from local.settings.sample.json / scripts/local-env.sh, "
                + $"which is accepted only in the Development environment (this is '{EnvironmentName}'). Set a secret of your own.";
        }
    }
}
