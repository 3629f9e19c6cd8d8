using OrderFlow.Workflows.Security;

namespace OrderFlow.Api.Webhooks;

/// <summary>
/// Verifies Shopify webhook signatures: X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(app secret, raw body bytes)).
/// </summary>
public static class ShopifyWebhookVerifier
{
    public const string HmacHeader = "X-Shopify-Hmac-Sha256";
    public const string WebhookIdHeader = "X-Shopify-Webhook-Id";
    public const string TopicHeader = "X-Shopify-Topic";

    public static bool Verify(ReadOnlySpan<byte> rawBody, string? hmacHeader, string secret) => HmacSignature.Verify(rawBody, hmacHeader, secret);

    /// <summary>The header value Shopify would send for this body (for tests and local tools that simulate Shopify).</summary>
    public static string Sign(ReadOnlySpan<byte> rawBody, string secret) => HmacSignature.Sign(rawBody, secret);
}
