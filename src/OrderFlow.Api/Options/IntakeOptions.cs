using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Api.Options;

/// <summary>Secrets that authenticate inbound calls (section "Intake"). Never logged.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>Shopify app secret: X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the raw body with it.</summary>
    [Required(ErrorMessage = "Intake:ShopifyWebhookSecret is required (the Shopify app's client secret).")]
    [MinLength(8, ErrorMessage = "Intake:ShopifyWebhookSecret must be at least 8 characters.")]
    public string ShopifyWebhookSecret { get; set; } = "";

    /// <summary>Secret locations use to sign fulfillment callbacks (X-OrderFlow-Signature, base64 HMAC-SHA256 of the body).</summary>
    [Required(ErrorMessage = "Intake:FulfillmentCallbackSecret is required (shared with warehouses and 3PLs).")]
    [MinLength(8, ErrorMessage = "Intake:FulfillmentCallbackSecret must be at least 8 characters.")]
    public string FulfillmentCallbackSecret { get; set; } = "";

    /// <summary>
    /// Secret of the generic order intake (POST /api/orders): X-OrderFlow-Signature is the base64 HMAC-SHA256 of the body
    /// with it, or X-Api-Key carries it. Empty, or the deployment's placeholder "UNSET": that endpoint is off (503).
    /// </summary>
    [RegularExpression("UNSET|.{16,}", ErrorMessage = "Intake:GenericSecret must be at least 16 characters when set.")]
    public string GenericSecret { get; set; } = "";

    /// <summary>
    /// Secret of the WooCommerce webhook (POST /api/webhooks/woocommerce/orders): X-WC-Webhook-Signature is the base64
    /// HMAC-SHA256 of the body with it. Empty, or the deployment's placeholder "UNSET": that endpoint is off (503).
    /// </summary>
    [RegularExpression("UNSET|.{8,}", ErrorMessage = "Intake:WooCommerceWebhookSecret must be at least 8 characters when set.")]
    public string WooCommerceWebhookSecret { get; set; } = "";

    /// <summary>Largest accepted request body in bytes.</summary>
    [Range(1024, 4 * 1024 * 1024, ErrorMessage = "Intake:MaxBodyBytes must be between 1 KiB and 4 MiB.")]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}
