namespace OrderFlow.Workflows.Options;

/// <summary>
/// How fulfillments reach locations that are not own warehouses, section "FulfillmentPartners": a 3PL's HTTP endpoint
/// (Routing method ThirdPartyApi) or a dropship vendor's email (DropshipEmail). Secrets are never logged.
/// </summary>
public sealed class FulfillmentPartnersOptions
{
    public const string Section = "FulfillmentPartners";

    /// <summary>HMAC-SHA256 key signing hand-offs to every 3PL without its own <see cref="FulfillmentPartnerOptions.Secret"/>.</summary>
    public string SigningSecret { get; set; } = string.Empty;

    public List<FulfillmentPartnerOptions> Locations { get; set; } = [];

    /// <summary>The entry for a location id (ignoring case, as routing does), or null.</summary>
    public FulfillmentPartnerOptions? Find(string location) =>
        Locations.FirstOrDefault(l => string.Equals(l.Location?.Trim(), location, StringComparison.OrdinalIgnoreCase));

    /// <summary>The key that signs hand-offs to this location: its own secret when set, otherwise <see cref="SigningSecret"/>.</summary>
    public string SecretFor(FulfillmentPartnerOptions partner)
    {
        ArgumentNullException.ThrowIfNull(partner);
        return SecretSetting.IsSet(partner.Secret) ? partner.Secret! : SigningSecret;
    }

    /// <summary>
    /// The keys a callback from <paramref name="location"/> is accepted with: its own Secret and PreviousSecret, or
    /// none when it has no own Secret (then the shared Intake:FulfillmentCallbackSecret applies).
    /// </summary>
    public IReadOnlyList<string> CallbackSecretsOf(string location) => Find(location) is { } partner ? CallbackSecretsOf(partner) : [];

    /// <inheritdoc cref="CallbackSecretsOf(string)"/>
    public static IReadOnlyList<string> CallbackSecretsOf(FulfillmentPartnerOptions partner)
    {
        ArgumentNullException.ThrowIfNull(partner);
        if (!SecretSetting.IsSet(partner.Secret))
        {
            return [];
        }

        return SecretSetting.IsSet(partner.PreviousSecret) ? [partner.Secret!, partner.PreviousSecret!] : [partner.Secret!];
    }
}
