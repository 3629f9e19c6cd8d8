using System.Text;
using System.Text.RegularExpressions;
using OrderFlow.Workflows.Security;

namespace OrderFlow.Api.Webhooks;

/// <summary>
/// WooCommerce webhook deliveries: X-WC-Webhook-Signature = base64(HMAC-SHA256(webhook secret, raw body)); the other
/// X-WC-Webhook-* headers name the topic, the webhook, the delivery and the store. When a webhook is created or
/// activated WooCommerce first posts an unsigned ping (form body "webhook_id=N", no X-WC-Webhook-* headers) and keeps
/// the webhook only if that answers 2xx.
/// </summary>
public static partial class WooCommerceWebhook
{
    public const string SignatureHeader = "X-WC-Webhook-Signature";
    public const string TopicHeader = "X-WC-Webhook-Topic";
    public const string WebhookIdHeader = "X-WC-Webhook-ID";
    public const string DeliveryIdHeader = "X-WC-Webhook-Delivery-ID";
    public const string SourceHeader = "X-WC-Webhook-Source";
    public const string OrderCreatedTopic = "order.created";
    public const string OrderUpdatedTopic = "order.updated";

    public static bool Verify(ReadOnlySpan<byte> rawBody, string? signatureHeader, string secret) => HmacSignature.Verify(rawBody, signatureHeader, secret);

    /// <summary>The header value WooCommerce would send for this body (for tests and local tools that simulate a store).</summary>
    public static string Sign(ReadOnlySpan<byte> rawBody, string secret) => HmacSignature.Sign(rawBody, secret);

    /// <summary>The webhook id of a ping delivery (body "webhook_id=N" without a topic header), else null.</summary>
    public static string? PingWebhookId(ReadOnlySpan<byte> rawBody, string? topicHeader)
    {
        if (!string.IsNullOrEmpty(topicHeader) || rawBody.Length > 64)
        {
            return null;
        }

        var match = PingBody().Match(Encoding.UTF8.GetString(rawBody));
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"^webhook_id=([0-9]{1,20})$", RegexOptions.CultureInvariant)]
    private static partial Regex PingBody();
}
