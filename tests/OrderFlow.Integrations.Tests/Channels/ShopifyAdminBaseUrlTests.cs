using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Shopify;

namespace OrderFlow.Integrations.Tests.Channels;

/// <summary>
/// Channels:Shopify:AdminBaseUrl, the override of where the Admin API is reached (a test double, a proxy): empty keeps
/// https://{ShopDomain}/, a set value must be an absolute http(s) address, and plain http is refused in Production.
/// </summary>
public sealed class ShopifyAdminBaseUrlTests
{
    [Fact]
    public void Empty_TheAdminApiIsTheShopItselfOverHttps()
    {
        using var provider = Build(adminBaseUrl: "", environment: "Production");

        Assert.Equal(new Uri("https://orderflow-test.myshopify.com/"), Client(provider).BaseAddress);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9091", "Staging", "http://127.0.0.1:9091/")]
    [InlineData("https://shopify-proxy.example.com/tenant-1", "Production", "https://shopify-proxy.example.com/tenant-1/")]
    public void Set_TheAdminApiIsReachedThere(string adminBaseUrl, string environment, string expected)
    {
        using var provider = Build(adminBaseUrl, environment);

        Assert.Equal(new Uri(expected), Client(provider).BaseAddress);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9091", "Production", "Channels:Shopify:AdminBaseUrl must use https in the Production environment")]
    [InlineData("shopify-proxy.example.com", "Staging", "Channels:Shopify:AdminBaseUrl 'shopify-proxy.example.com' must be an absolute http(s) address")]
    [InlineData("https://shopify-proxy.example.com/?shop=1", "Staging", "must be an absolute http(s) address without query")]
    [InlineData("ftp://shopify-proxy.example.com", "Development", "must be an absolute http(s) address")]
    public void Invalid_FailsStartUpNamingTheKey(string adminBaseUrl, string environment, string expected)
    {
        using var provider = Build(adminBaseUrl, environment);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChannelsOptions>>().Value);

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private static HttpClient Client(ServiceProvider provider) =>
        provider.GetRequiredService<IHttpClientFactory>().CreateClient(ShopifyAdminClient.HttpClientName);

    private static ServiceProvider Build(string adminBaseUrl, string environment)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = environment,
            ["Channels:Shopify:ShopDomain"] = "orderflow-test.myshopify.com",
            ["Channels:Shopify:AccessToken"] = "shpat_test_token_0123456789",
            ["Channels:Shopify:Locations"] = "WH-EAST=1",
            ["Channels:Shopify:AdminBaseUrl"] = adminBaseUrl,
        };
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(TimeProvider.System);
        services.AddOrderFlowChannels(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
