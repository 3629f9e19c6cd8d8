using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Workflows.Options;
using static OrderFlow.Integrations.Configuration.OptionsChecks;

namespace OrderFlow.Integrations.Accounting;

/// <summary>Start-up checks of the QuickBooks section: the company and credentials are required only when QuickBooks serves accounting.</summary>
internal sealed class QuickBooksOptionsValidator(IOptions<AdaptersOptions> adapters, SecretSetting secrets) : IValidateOptions<QuickBooksOptions>
{
    public ValidateOptionsResult Validate(string? name, QuickBooksOptions options)
    {
        if (!QuickBooksServesAccounting())
        {
            return ValidateOptionsResult.Success;
        }

        var failures = HttpUrl(options.BaseUrl, "QuickBooks:BaseUrl")
            .Concat(HttpUrl(options.TokenUrl, "QuickBooks:TokenUrl"))
            .Concat(Required(options.RealmId, "QuickBooks:RealmId"))
            .Concat(Required(options.ClientId, "QuickBooks:ClientId"))
            .Concat(Secret(options.ClientSecret, "QuickBooks:ClientSecret"))
            .Concat(Secret(options.RefreshToken, "QuickBooks:RefreshToken"))
            .Concat(secrets.Check(options.ClientSecret, "QuickBooks:ClientSecret", SecretSetting.GeneratedKeyMinLength))
            .Concat(secrets.Check(options.RefreshToken, "QuickBooks:RefreshToken", SecretSetting.GeneratedKeyMinLength))
            .Concat(Required(options.CustomerId, "QuickBooks:CustomerId"))
            .Concat(Required(options.DepositAccountId, "QuickBooks:DepositAccountId"))
            .Concat(Required(options.DefaultItemId, "QuickBooks:DefaultItemId"))
            .Concat(Required(options.ShippingItemId, "QuickBooks:ShippingItemId"))
            .ToList();

        if (options.MinorVersion < 1)
        {
            failures.Add("QuickBooks:MinorVersion must be a positive number (Intuit's current minimum is 75).");
        }

        QuickBooksOptions.Pairs(options.Items, "QuickBooks:Items", failures);
        QuickBooksOptions.Pairs(options.TaxRates, "QuickBooks:TaxRates", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The infra stores "UNSET" for a secret that was never given; the message never repeats the value.
    private static IEnumerable<string> Secret(string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value) || value == "UNSET")
        {
            yield return $"{key} is required when Adapters:Accounting is QuickBooks.";
        }
    }

    private bool QuickBooksServesAccounting()
    {
        try
        {
            return string.Equals(adapters.Value.Accounting, AdaptersOptions.QuickBooks, StringComparison.OrdinalIgnoreCase);
        }
        catch (OptionsValidationException)
        {
            // An invalid Adapters section is reported by its own validator.
            return false;
        }
    }
}
