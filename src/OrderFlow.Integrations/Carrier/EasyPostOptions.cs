namespace OrderFlow.Integrations.Carrier;

/// <summary>EasyPost account and label rules, section "EasyPost". Secrets (ApiKey, WebhookSecret): never logged.</summary>
public sealed class EasyPostOptions
{
    public const string Section = "EasyPost";
    public const string DefaultBaseUrl = "https://api.easypost.com";

    /// <summary><see cref="Fallback"/>: the rate with the fewest delivery days (cheapest among equals).</summary>
    public const string FallbackFastest = "Fastest";

    /// <summary><see cref="Fallback"/>: the cheapest rate, however slow.</summary>
    public const string FallbackCheapest = "Cheapest";

    /// <summary><see cref="Fallback"/>: buy nothing; the label step fails and the order goes to a person.</summary>
    public const string FallbackFail = "Fail";

    public static IReadOnlyList<string> FallbackValues { get; } = [FallbackFastest, FallbackCheapest, FallbackFail];

    /// <summary>Production or test API key (Basic auth user name, empty password); required when Adapters:Carrier is EasyPost.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Base URL of the EasyPost API (the /v2 paths are appended); tests point it at a local stub.</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The webhook_secret of the EasyPost webhook that calls POST /api/webhooks/carrier (X-Hmac-Signature).</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>The store's promise: buy the cheapest rate whose delivery_days is at most this.</summary>
    public int MaxDeliveryDays { get; set; } = 5;

    /// <summary>What to buy when no rate is known to arrive within <see cref="MaxDeliveryDays"/>: Fastest, Cheapest or Fail.</summary>
    public string Fallback { get; set; } = FallbackFastest;

    /// <summary>Only rates of these carriers, comma-separated (e.g. "USPS,UPS"); empty = any carrier on the account.</summary>
    public string Carriers { get; set; } = "";

    /// <summary>Only rates of these services, comma-separated (e.g. "Priority,GroundAdvantage"); empty = any service.</summary>
    public string Services { get; set; } = "";

    /// <summary>Ship-from address of each fulfillment location (matched on <see cref="EasyPostAddressOptions.Location"/>).</summary>
    public List<EasyPostAddressOptions> FromAddresses { get; set; } = [];

    /// <summary>Parcel dimensions and weight when nothing more specific is known.</summary>
    public EasyPostParcelOptions Parcel { get; set; } = new();

    /// <summary>
    /// Optional unit weights in ounces by SKU, "SKU=ounces" pairs separated by commas (e.g. "SKU-MUG=14,SKU-TEE=6.5").
    /// When any is set, a parcel weighs the sum of quantity x unit weight, with <see cref="EasyPostParcelOptions.WeightOz"/>
    /// standing in for a SKU not listed; when none is set, every parcel weighs <see cref="EasyPostParcelOptions.WeightOz"/>.
    /// </summary>
    public string SkuWeightsOz { get; set; } = "";

    public IReadOnlyList<string> AllowedCarriers => List(Carriers);

    public IReadOnlyList<string> AllowedServices => List(Services);

    /// <summary><see cref="SkuWeightsOz"/> parsed; throws <see cref="FormatException"/> naming the bad pair.</summary>
    public IReadOnlyDictionary<string, double> SkuWeights()
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var pair in List(SkuWeightsOz))
        {
            var at = pair.LastIndexOf('=');
            if (at <= 0 || !double.TryParse(pair[(at + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ounces) || !(ounces > 0))
            {
                throw new FormatException($"'{pair}' is not SKU=ounces with ounces greater than 0.");
            }

            weights[pair[..at].Trim()] = ounces;
        }

        return weights;
    }

    /// <summary>Not empty and not the "UNSET" placeholder infra/app.bicep stores in Key Vault for a secret nobody set.</summary>
    internal static bool IsSet(string? secret) => Configuration.OptionsChecks.IsSecretSet(secret);

    private static List<string> List(string? value) =>
        (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
