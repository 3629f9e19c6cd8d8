namespace OrderFlow.Workflows.Options;

/// <summary>One entry of FulfillmentPartners:Locations: where and how one location is handed its fulfillments.</summary>
public sealed class FulfillmentPartnerOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The location id, as in Routing:Locations (e.g. "3PL-EU").</summary>
    public string Location { get; set; } = string.Empty;

    /// <summary>ThirdPartyApi: the 3PL's endpoint the fulfillment is POSTed to.</summary>
    public string? EndpointUrl { get; set; }

    /// <summary>
    /// ThirdPartyApi: the 3PL's endpoint a cancellation of a handed-off fulfillment is POSTed to; "{fulfillmentId}" in it
    /// is replaced by the (escaped) fulfillment id. Required for a ThirdPartyApi location.
    /// </summary>
    public string? CancelUrl { get; set; }

    /// <summary>
    /// This location's own key: signs hand-offs to it (ThirdPartyApi; empty = FulfillmentPartners:SigningSecret) and is
    /// the only key its signed callbacks (fulfillment events, return receipts) are accepted with. Empty: its callbacks
    /// are signed with Intake:FulfillmentCallbackSecret, like every location without its own key.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Rotation: the key being replaced, still accepted on this location's callbacks (never used to sign).</summary>
    public string? PreviousSecret { get; set; }

    /// <summary>ThirdPartyApi: how long one attempt may take before it is abandoned (and retried).</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>DropshipEmail: where the purchase order goes.</summary>
    public string? VendorEmail { get; set; }

    public string? VendorName { get; set; }
}
