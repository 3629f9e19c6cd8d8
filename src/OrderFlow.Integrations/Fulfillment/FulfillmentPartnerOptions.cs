namespace OrderFlow.Integrations.Fulfillment;

/// <summary>One entry of FulfillmentPartners:Locations: where and how one location is handed its fulfillments.</summary>
public sealed class FulfillmentPartnerOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The location id, as in Routing:Locations (e.g. "3PL-EU").</summary>
    public string Location { get; set; } = string.Empty;

    /// <summary>ThirdPartyApi: the 3PL's endpoint the fulfillment is POSTed to.</summary>
    public string? EndpointUrl { get; set; }

    /// <summary>ThirdPartyApi: this 3PL's own signing key; empty = FulfillmentPartners:SigningSecret.</summary>
    public string? Secret { get; set; }

    /// <summary>ThirdPartyApi: how long one attempt may take before it is abandoned (and retried).</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>DropshipEmail: where the purchase order goes.</summary>
    public string? VendorEmail { get; set; }

    public string? VendorName { get; set; }
}
