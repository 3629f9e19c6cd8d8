namespace OrderFlow.Domain.Orders;

/// <summary>
/// The sales channels orders arrive from, as they appear in <see cref="Order.Source"/>, order ids ("shopify-123") and
/// <see cref="ChannelPayment.Channel"/>: the intake parsers write them, the channel adapters read them.
/// </summary>
public static class OrderSources
{
    public const string Shopify = "shopify";

    public const string WooCommerce = "woocommerce";
}
