using System.ComponentModel.DataAnnotations;
using OrderFlow.Api.Webhooks;

namespace OrderFlow.Api.Options;

/// <summary>
/// Secrets that authenticate inbound calls (section "Intake"). Never logged. Lengths, Key Vault references and sample
/// values are checked by <see cref="ApiSecretsValidator"/> (the shared secret rule).
/// </summary>
public sealed class IntakeOptions : IValidatableObject
{
    public const string Section = "Intake";

    /// <summary>Shopify app secret: X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the raw body with it.</summary>
    public string ShopifyWebhookSecret { get; set; } = "";

    /// <summary>
    /// Key of the signed callbacks (X-OrderFlow-Signature, see CallbackSignature) from every location without its own
    /// FulfillmentPartners:Locations:N:Secret: fulfillment events and return receipts.
    /// </summary>
    public string FulfillmentCallbackSecret { get; set; } = "";

    /// <summary>Rotation: the shared callback key being replaced, still accepted (never used to sign). Empty or "UNSET": none.</summary>
    public string FulfillmentCallbackPreviousSecret { get; set; } = "";

    /// <summary>How far a signed callback's timestamp (t=) may be from the server's clock, either way.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00", ErrorMessage = "Intake:CallbackTolerance must be between 00:00:30 and 01:00:00.")]
    public TimeSpan CallbackTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Secret of the generic order intake (POST /api/orders): X-OrderFlow-Signature is the base64 HMAC-SHA256 of the body
    /// with it. Empty, or the deployment's placeholder "UNSET": that endpoint is off (503).
    /// </summary>
    public string GenericSecret { get; set; } = "";

    /// <summary>
    /// The X-Api-Key that POST /api/orders accepts instead of a signature, for senders that cannot sign. A key of its own,
    /// never the signing secret (a leaked header must not let anyone sign). Empty or "UNSET": only signed posts.
    /// </summary>
    [RegularExpression("UNSET|.{32,}", ErrorMessage = "Intake:GenericApiKey must be at least 32 characters when set.")]
    public string GenericApiKey { get; set; } = "";

    /// <summary>The API key of the generic intake, or null when none is set.</summary>
    public string? GenericApiKeyOrNull() =>
        string.IsNullOrWhiteSpace(GenericApiKey) || string.Equals(GenericApiKey.Trim(), "UNSET", StringComparison.Ordinal) ? null : GenericApiKey;

    /// <summary>
    /// Secret of the WooCommerce webhook (POST /api/webhooks/woocommerce/orders): X-WC-Webhook-Signature is the base64
    /// HMAC-SHA256 of the body with it. Empty, or the deployment's placeholder "UNSET": that endpoint is off (503).
    /// </summary>
    public string WooCommerceWebhookSecret { get; set; } = "";

    /// <summary>Largest accepted request body in bytes.</summary>
    [Range(1024, 4 * 1024 * 1024, ErrorMessage = "Intake:MaxBodyBytes must be between 1 KiB and 4 MiB.")]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The shared callback keys currently accepted: the secret, then the previous one while it is set.</summary>
    public IReadOnlyList<string> FulfillmentCallbackSecrets() =>
        HasPreviousCallbackSecret ? [FulfillmentCallbackSecret, FulfillmentCallbackPreviousSecret] : [FulfillmentCallbackSecret];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (GenericApiKeyOrNull() is { } apiKey && string.Equals(apiKey, GenericSecret, StringComparison.Ordinal))
        {
            yield return new ValidationResult(
                "Intake:GenericApiKey equals Intake:GenericSecret; the API key must be a key of its own, not the signing secret.",
                [nameof(GenericApiKey)]);
        }

        if (HasPreviousCallbackSecret && string.Equals(FulfillmentCallbackPreviousSecret, FulfillmentCallbackSecret, StringComparison.Ordinal))
        {
            yield return new ValidationResult(
                "Intake:FulfillmentCallbackPreviousSecret equals Intake:FulfillmentCallbackSecret; set it to the key being replaced, or leave it empty.",
                [nameof(FulfillmentCallbackPreviousSecret)]);
        }
    }

    private bool HasPreviousCallbackSecret =>
        !string.IsNullOrWhiteSpace(FulfillmentCallbackPreviousSecret) && !string.Equals(FulfillmentCallbackPreviousSecret.Trim(), "UNSET", StringComparison.Ordinal);
}
