namespace OrderFlow.Api.Options;

/// <summary>
/// What POST /api/webhooks/stripe reads of section "Stripe": the endpoint's signing secret. The Stripe adapter binds the
/// same section (API key, retries) and validates this key at start-up with the rest of it. Never logged.
/// </summary>
public sealed class StripeWebhookOptions
{
    public const string Section = "Stripe";

    /// <summary>Signing secret of the webhook endpoint (whsec_...); required when Adapters:Payment is Stripe.</summary>
    public string WebhookSecret { get; set; } = "";
}
