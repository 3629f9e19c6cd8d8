using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Workflows.Options;
using static OrderFlow.Integrations.Configuration.OptionsChecks;

namespace OrderFlow.Integrations.Carrier;

/// <summary>
/// Start-up checks of the EasyPost section: rules and parcel always; credentials and ship-from addresses only when
/// EasyPost serves the carrier port.
/// </summary>
internal sealed class EasyPostOptionsValidator(IOptions<AdaptersOptions> adapters, SecretSetting secrets) : IValidateOptions<EasyPostOptions>
{
    private const int MaxPromisedDays = 60;

    public ValidateOptionsResult Validate(string? name, EasyPostOptions options)
    {
        var failures = new List<string>();
        failures.AddRange(HttpUrl(options.BaseUrl, "EasyPost:BaseUrl"));
        if (options.MaxDeliveryDays is < 1 or > MaxPromisedDays)
        {
            failures.Add($"EasyPost:MaxDeliveryDays must be between 1 and {MaxPromisedDays}.");
        }

        failures.AddRange(OneOf(options.Fallback, EasyPostOptions.FallbackValues, "EasyPost:Fallback"));
        var parcel = options.Parcel ?? new EasyPostParcelOptions();
        if (!(parcel.LengthIn > 0 && parcel.WidthIn > 0 && parcel.HeightIn > 0 && parcel.WeightOz > 0))
        {
            failures.Add("EasyPost:Parcel:LengthIn, WidthIn, HeightIn and WeightOz must all be greater than 0.");
        }

        try
        {
            options.SkuWeights();
        }
        catch (FormatException ex)
        {
            failures.Add($"EasyPost:SkuWeightsOz: {ex.Message}");
        }

        failures.AddRange(secrets.Check(options.ApiKey, "EasyPost:ApiKey", SecretSetting.GeneratedKeyMinLength));
        failures.AddRange(secrets.Check(options.WebhookSecret, "EasyPost:WebhookSecret", SecretSetting.GeneratedKeyMinLength));
        if (EasyPostServesCarrier())
        {
            failures.AddRange(Secret(options.ApiKey, "EasyPost:ApiKey"));
            failures.AddRange(Secret(options.WebhookSecret, "EasyPost:WebhookSecret"));
            failures.AddRange(FromAddresses(options.FromAddresses ?? []));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Secret(string? value, string key)
    {
        if (!EasyPostOptions.IsSet(value))
        {
            yield return $"{key} is required when Adapters:Carrier is EasyPost.";
        }
    }

    private static IEnumerable<string> FromAddresses(List<EasyPostAddressOptions> addresses)
    {
        if (addresses.Count == 0)
        {
            yield return "EasyPost:FromAddresses needs one ship-from address per fulfillment location when Adapters:Carrier is EasyPost.";
        }

        for (var i = 0; i < addresses.Count; i++)
        {
            var a = addresses[i];
            var key = $"EasyPost:FromAddresses:{i}";
            foreach (var failure in Required(a.Location, $"{key}:Location")
                .Concat(Required(a.Street1, $"{key}:Street1"))
                .Concat(Required(a.City, $"{key}:City"))
                .Concat(Required(a.Zip, $"{key}:Zip")))
            {
                yield return failure;
            }

            if (a.Country is not { Length: 2 } || !a.Country.All(char.IsAsciiLetterUpper))
            {
                yield return $"{key}:Country '{a.Country}' must be an ISO 3166-1 alpha-2 code such as US.";
            }

            if (string.IsNullOrWhiteSpace(a.Name) && string.IsNullOrWhiteSpace(a.Company))
            {
                yield return $"{key} needs a Name or a Company.";
            }
        }

        foreach (var duplicate in addresses.GroupBy(a => a.Location, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1 && !string.IsNullOrWhiteSpace(g.Key)))
        {
            yield return $"EasyPost:FromAddresses lists location '{duplicate.Key}' more than once.";
        }
    }

    private bool EasyPostServesCarrier()
    {
        try
        {
            return string.Equals(adapters.Value.Carrier, AdaptersOptions.EasyPost, StringComparison.OrdinalIgnoreCase);
        }
        catch (OptionsValidationException)
        {
            // An invalid Adapters section is reported by its own validator; reporting it twice would only add noise.
            return false;
        }
    }
}
