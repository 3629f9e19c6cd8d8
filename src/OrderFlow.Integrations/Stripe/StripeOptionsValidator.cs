using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Integrations.Stripe;

/// <summary>Start-up checks of the Stripe section: credentials are required only when Stripe serves the payment port.</summary>
internal sealed class StripeOptionsValidator(IOptions<AdaptersOptions> adapters, SecretSetting secrets) : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.ApiBase, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"Stripe:ApiBase '{options.ApiBase}' must be an absolute http(s) URL.");
        }

        if (options.MaxNetworkRetries is < 0 or > 5)
        {
            failures.Add("Stripe:MaxNetworkRetries must be between 0 and 5.");
        }

        failures.AddRange(secrets.Check(options.ApiKey, "Stripe:ApiKey", SecretSetting.GeneratedKeyMinLength));
        failures.AddRange(secrets.Check(options.WebhookSecret, "Stripe:WebhookSecret", SecretSetting.GeneratedKeyMinLength));
        if (StripeServesPayments())
        {
            if (string.IsNullOrWhiteSpace(options.ApiKey))
            {
                failures.Add("Stripe:ApiKey is required when Adapters:Payment is Stripe.");
            }
            else if (!options.ApiKey.StartsWith("sk_", StringComparison.Ordinal) && !options.ApiKey.StartsWith("rk_", StringComparison.Ordinal)
                && !options.ApiKey.StartsWith(SecretSetting.KeyVaultReferencePrefix, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add("Stripe:ApiKey must be a secret (sk_...) or restricted (rk_...) key.");
            }

            if (string.IsNullOrWhiteSpace(options.WebhookSecret))
            {
                failures.Add("Stripe:WebhookSecret is required when Adapters:Payment is Stripe.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private bool StripeServesPayments()
    {
        try
        {
            return string.Equals(adapters.Value.Payment, AdaptersOptions.Stripe, StringComparison.OrdinalIgnoreCase);
        }
        catch (OptionsValidationException)
        {
            // An invalid Adapters section is reported by its own validator; reporting it twice would only add noise.
            return false;
        }
    }
}
