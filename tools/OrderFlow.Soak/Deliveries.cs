using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OrderFlow.Api.Webhooks;

namespace OrderFlow.Soak;

/// <summary>What one delivery is: a real webhook copy, or a forged/stale one the host must refuse.</summary>
public enum DeliveryKind
{
    Good,
    BadSignature,
    StaleTimestamp,
}

/// <summary>One HTTP delivery the soak sends (and re-sends until the host gives a definite answer).</summary>
public sealed record Delivery(string Route, string Id, byte[] Body, IReadOnlyDictionary<string, string> Headers, DeliveryKind Kind, string? OrderId, string Topic);

/// <summary>
/// Builds signed deliveries: Shopify orders/create and orders/cancelled (X-Shopify-Hmac-Sha256 over the raw body) from
/// samples/shopify-order.json, and Stripe payment_intent.succeeded events (Stripe-Signature "t=...,v1=..." over "t.body").
/// </summary>
public sealed class DeliveryFactory(JsonObject template, string shopifySecret, string stripeSecret)
{
    public const string ShopifyCreate = "/api/webhooks/shopify/orders-create";
    public const string ShopifyCancelled = "/api/webhooks/shopify/orders-cancelled";
    public const string Stripe = "/api/webhooks/stripe";

    /// <summary>The sample's two lines (quantities 2 and 1) under the given SKUs; the totals stay the sample's.</summary>
    public Delivery OrderCreated(long shopifyId, string firstSku, string secondSku, string paymentIntent, DeliveryKind kind)
    {
        var order = template.DeepClone().AsObject();
        order["id"] = shopifyId;
        order["admin_graphql_api_id"] = $"gid://shopify/Order/{shopifyId}";
        order["name"] = $"#S{shopifyId}";
        order["order_number"] = shopifyId;
        var email = $"soak-{shopifyId}@example.test";
        order["email"] = email;
        order["contact_email"] = email;
        order["customer"]!["email"] = email;
        order["customer"]!["id"] = shopifyId;
        order["note_attributes"] = new JsonArray(new JsonObject { ["name"] = ShopifyOrderMapper.PaymentIntentField, ["value"] = paymentIntent });
        var lines = order["line_items"]!.AsArray();
        lines[0]!["sku"] = firstSku;
        lines[1]!["sku"] = secondSku;
        return Shopify(ShopifyCreate, "orders/create", $"soak-create-{shopifyId}", order.ToJsonString(), kind, OrderIdOf(shopifyId));
    }

    public Delivery OrderCancelled(long shopifyId, DeliveryKind kind)
    {
        var body = new JsonObject
        {
            ["id"] = shopifyId,
            ["admin_graphql_api_id"] = $"gid://shopify/Order/{shopifyId}",
            ["cancel_reason"] = "customer",
            ["cancelled_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
            ["financial_status"] = "paid",
        };
        return Shopify(ShopifyCancelled, "orders/cancelled", $"soak-cancel-{shopifyId}", body.ToJsonString(), kind, OrderIdOf(shopifyId));
    }

    /// <summary>payment_intent.succeeded for <paramref name="intent"/>; a stale copy is signed correctly 10 minutes ago.</summary>
    public Delivery PaymentSucceeded(string eventId, string intent, long amountMinor, DeliveryKind kind, string? orderId)
    {
        var now = DateTimeOffset.UtcNow;
        var body = new JsonObject
        {
            ["id"] = eventId,
            ["object"] = "event",
            ["api_version"] = "2025-10-29.clover",
            ["created"] = now.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["type"] = "payment_intent.succeeded",
            ["data"] = new JsonObject
            {
                ["object"] = new JsonObject
                {
                    ["id"] = intent,
                    ["object"] = "payment_intent",
                    ["amount"] = amountMinor,
                    ["amount_received"] = amountMinor,
                    ["currency"] = "usd",
                    ["status"] = "succeeded",
                },
            },
        }.ToJsonString();
        var signedAt = kind == DeliveryKind.StaleTimestamp ? now.AddMinutes(-10) : now;
        var secret = kind == DeliveryKind.BadSignature ? "whsec_not_the_endpoint_secret" : stripeSecret;
        var t = signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var v1 = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")));
        return new Delivery(Stripe, eventId, Encoding.UTF8.GetBytes(body), new Dictionary<string, string> { ["Stripe-Signature"] = $"t={t},v1={v1}" }, kind, orderId, "payment_intent.succeeded");
    }

    public static string OrderIdOf(long shopifyId) => $"shopify-{shopifyId}";

    private Delivery Shopify(string route, string topic, string webhookId, string json, DeliveryKind kind, string orderId)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var signature = ShopifyWebhookVerifier.Sign(body, kind == DeliveryKind.BadSignature ? "not-the-shop-secret" : shopifySecret);
        var headers = new Dictionary<string, string>
        {
            [ShopifyWebhookVerifier.HmacHeader] = signature,
            [ShopifyWebhookVerifier.WebhookIdHeader] = webhookId,
            [ShopifyWebhookVerifier.TopicHeader] = topic,
            ["X-Shopify-Shop-Domain"] = "orderflow-soak.myshopify.com",
        };
        return new Delivery(route, webhookId, body, headers, kind, orderId, topic);
    }
}
