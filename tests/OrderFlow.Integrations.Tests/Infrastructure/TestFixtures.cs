namespace OrderFlow.Integrations.Tests.Infrastructure;

/// <summary>Files under Fixtures/ (copied next to the test assembly).</summary>
public static class TestFixtures
{
    public static string ShopifyOrderJson() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "shopify-order.json"));
}
