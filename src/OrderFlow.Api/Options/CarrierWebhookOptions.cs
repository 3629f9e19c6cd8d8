using OrderFlow.Workflows.Options;

namespace OrderFlow.Api.Options;

/// <summary>
/// What POST /api/webhooks/carrier reads of section "EasyPost": the webhook's signing secret. The EasyPost adapter binds
/// the same section (API key, label rules) and validates this key at start-up with the rest of it. Never logged.
/// </summary>
public sealed class CarrierWebhookOptions
{
    public const string Section = "EasyPost";

    /// <summary>The webhook_secret of the EasyPost webhook that calls POST /api/webhooks/carrier (X-Hmac-Signature).</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>True when <see cref="WebhookSecret"/> is a real secret: not empty, not the infra's "UNSET" placeholder.</summary>
    public bool WebhookConfigured => SecretSetting.IsSet(WebhookSecret);
}
