namespace OrderFlow.Integrations.Tests.Infrastructure;

/// <summary>Files under Fixtures/ (copied next to the test assembly).</summary>
public static class TestFixtures
{
    public static string ShopifyOrderJson() => Read("shopify-order.json");

    /// <summary>samples/shopify-order.json (linked into Fixtures/): a Shopify Payments order as Shopify sends it, no Stripe reference.</summary>
    public static string SampleShopifyOrderJson() => Read("sample-shopify-order.json");

    /// <summary>samples/woocommerce-order.json (linked into Fixtures/).</summary>
    public static string WooCommerceOrderJson() => Read("woocommerce-order.json");

    /// <summary>samples/shopify-order-cancelled.json (linked into Fixtures/).</summary>
    public static string ShopifyOrderCancelledJson() => Read("shopify-order-cancelled.json");

    private static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
