namespace OrderFlow.Domain.Orders;

/// <summary>
/// The payment reference of an order whose payment authority is its sales channel (no Stripe PaymentIntent): the
/// Shopify order's GID ("gid://shopify/Order/123", what the Admin GraphQL API takes for orderCapture and refundCreate)
/// or "woocommerce:order/123". Stripe references ("pi_...") and generic orders' references never take these forms, so
/// the reference alone routes verify, capture and refund to the right authority.
/// </summary>
public static class ChannelPaymentReference
{
    public const string ShopifyPrefix = "gid://shopify/Order/";
    public const string WooCommercePrefix = "woocommerce:order/";

    public static string Shopify(string orderId) => ShopifyPrefix + orderId;

    public static string WooCommerce(string orderId) => WooCommercePrefix + orderId;

    public static bool IsShopify(string? reference) => reference?.StartsWith(ShopifyPrefix, StringComparison.Ordinal) == true;

    public static bool IsWooCommerce(string? reference) => reference?.StartsWith(WooCommercePrefix, StringComparison.Ordinal) == true;

    /// <summary>True when the channel, not a card processor, holds the payment this reference names.</summary>
    public static bool IsChannel(string? reference) => IsShopify(reference) || IsWooCommerce(reference);
}
