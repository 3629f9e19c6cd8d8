namespace OrderFlow.Integrations.Stripe;

/// <summary>Stripe account settings, section "Stripe". Secrets: never logged.</summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";
    public const string DefaultApiBase = "https://api.stripe.com";

    /// <summary>Secret (sk_...) or restricted (rk_...) API key; required when Adapters:Payment is Stripe.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Base URL of the Stripe API; tests point it at a local stub.</summary>
    public string ApiBase { get; set; } = DefaultApiBase;

    /// <summary>Signing secret of the webhook endpoint (whsec_...); required when Adapters:Payment is Stripe.</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>
    /// Stripe.net's own retries of one call (network errors, 409, 429 lock timeouts and 5xx, honoring Stripe-Should-Retry,
    /// with the same idempotency key). Kept small: the durable retry policy around the activity is the outer layer.
    /// </summary>
    public int MaxNetworkRetries { get; set; } = 2;
}
