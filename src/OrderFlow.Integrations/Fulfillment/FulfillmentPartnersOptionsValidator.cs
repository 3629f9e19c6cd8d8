using Microsoft.Extensions.Options;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Workflows.Options;
using static OrderFlow.Integrations.Configuration.OptionsChecks;

namespace OrderFlow.Integrations.Fulfillment;

/// <summary>
/// Start-up checks of FulfillmentPartners: each entry on its own, then each Routing location whose Method is
/// ThirdPartyApi (endpoint and signing key) or DropshipEmail (vendor email) against its entry.
/// </summary>
internal sealed class FulfillmentPartnersOptionsValidator(IOptions<RoutingOptions> routing, SecretSetting secrets) : IValidateOptions<FulfillmentPartnersOptions>
{
    private const int MinSecretLength = SecretSetting.GeneratedKeyMinLength;
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, FulfillmentPartnersOptions options)
    {
        var failures = new List<string>();
        failures.AddRange(secrets.Check(options.SigningSecret, "FulfillmentPartners:SigningSecret", MinSecretLength));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Locations.Count; i++)
        {
            failures.AddRange(Entry(options.Locations[i], $"FulfillmentPartners:Locations:{i}", seen));
        }

        foreach (var location in RoutedLocations())
        {
            var partner = options.Find(location.Id);
            if (location.Method == FulfillmentMethod.ThirdPartyApi)
            {
                failures.AddRange(ThirdParty(options, partner, location.Id));
            }
            else if (location.Method == FulfillmentMethod.DropshipEmail && string.IsNullOrWhiteSpace(partner?.VendorEmail))
            {
                failures.Add($"Routing location '{location.Id}' is DropshipEmail: FulfillmentPartners:Locations needs an entry with Location '{location.Id}' and a VendorEmail.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private IEnumerable<string> Entry(FulfillmentPartnerOptions entry, string key, HashSet<string> seen)
    {
        if (string.IsNullOrWhiteSpace(entry.Location))
        {
            yield return $"{key}:Location is required.";
        }
        else if (!seen.Add(entry.Location.Trim()))
        {
            yield return $"{key}:Location '{entry.Location}' is listed more than once (ids are compared ignoring case).";
        }

        if (!string.IsNullOrWhiteSpace(entry.EndpointUrl))
        {
            foreach (var failure in HttpUrl(entry.EndpointUrl, $"{key}:EndpointUrl"))
            {
                yield return failure;
            }
        }

        if (!string.IsNullOrWhiteSpace(entry.CancelUrl))
        {
            foreach (var failure in HttpUrl(entry.CancelUrl.Replace("{fulfillmentId}", "f", StringComparison.Ordinal), $"{key}:CancelUrl"))
            {
                yield return failure;
            }
        }

        if (entry.Timeout <= TimeSpan.Zero || entry.Timeout > MaxTimeout)
        {
            yield return $"{key}:Timeout must be positive and at most {MaxTimeout}.";
        }

        if (!string.IsNullOrWhiteSpace(entry.VendorEmail))
        {
            foreach (var failure in EmailAddress(entry.VendorEmail, $"{key}:VendorEmail"))
            {
                yield return failure;
            }
        }

        foreach (var failure in Secrets(entry, key))
        {
            yield return failure;
        }
    }

    /// <summary>An own Secret also authenticates the location's callbacks; PreviousSecret only makes sense next to a new one.</summary>
    private IEnumerable<string> Secrets(FulfillmentPartnerOptions entry, string key)
    {
        var secret = IsSecretSet(entry.Secret);
        foreach (var failure in secrets.Check(entry.Secret, $"{key}:Secret", MinSecretLength)
            .Concat(secrets.Check(entry.PreviousSecret, $"{key}:PreviousSecret", MinSecretLength)))
        {
            yield return failure;
        }

        if (!IsSecretSet(entry.PreviousSecret))
        {
            yield break;
        }

        if (!secret)
        {
            yield return $"{key}:PreviousSecret is set but {key}:Secret is not: rotation keeps the old key next to the new one.";
        }
        else if (string.Equals(entry.PreviousSecret, entry.Secret, StringComparison.Ordinal))
        {
            yield return $"{key}:PreviousSecret equals {key}:Secret; set it to the key being replaced, or leave it empty.";
        }
    }

    private static IEnumerable<string> ThirdParty(FulfillmentPartnersOptions options, FulfillmentPartnerOptions? partner, string location)
    {
        if (string.IsNullOrWhiteSpace(partner?.EndpointUrl))
        {
            yield return $"Routing location '{location}' is ThirdPartyApi: FulfillmentPartners:Locations needs an entry with Location '{location}' and an EndpointUrl.";
            yield break;
        }

        if (string.IsNullOrWhiteSpace(partner.CancelUrl))
        {
            yield return $"Routing location '{location}' is ThirdPartyApi: its FulfillmentPartners:Locations entry needs a CancelUrl (where a cancellation of a handed-off fulfillment is POSTed; \"{{fulfillmentId}}\" in it is replaced).";
        }

        // Length alone also refuses the infra's "UNSET" placeholder.
        if (options.SecretFor(partner) is not { Length: >= MinSecretLength })
        {
            yield return $"Routing location '{location}' is ThirdPartyApi: set its Secret or FulfillmentPartners:SigningSecret (at least {MinSecretLength} characters).";
        }
    }

    private List<FulfillmentLocation> RoutedLocations()
    {
        try
        {
            return routing.Value.ToLocations().ToList();
        }
        catch (Exception ex) when (ex is OptionsValidationException or ArgumentException)
        {
            // An invalid Routing section is reported by its own validator; reporting it twice would only add noise.
            return [];
        }
    }
}
