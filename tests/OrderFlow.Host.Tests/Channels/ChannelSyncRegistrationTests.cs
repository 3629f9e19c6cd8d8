using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderFlow.Host;
using OrderFlow.Host.Channels;
using OrderFlow.Integrations.Channels;

namespace OrderFlow.Host.Tests.Channels;

/// <summary>The host polls the channel-sync outbox only when a sales channel is configured.</summary>
public sealed class ChannelSyncRegistrationTests
{
    [Fact]
    public void AddOrderFlowHost_NoChannelConfigured_DoesNotRegisterTheSyncService()
    {
        var services = Register(new Dictionary<string, string?>());

        Assert.DoesNotContain(services, IsSyncService);
    }

    [Fact]
    public void AddOrderFlowHost_ShopifyShopDomainSet_RegistersTheSyncServiceOnce()
    {
        var services = Register(new Dictionary<string, string?> { ["Channels:Shopify:ShopDomain"] = "my-store.myshopify.com" });

        Assert.Single(services, IsSyncService);
    }

    [Fact]
    public void AddOrderFlowHost_WooCommerceStoreUrlSet_RegistersTheSyncServiceOnce()
    {
        var services = Register(new Dictionary<string, string?> { ["Channels:WooCommerce:StoreUrl"] = "https://shop.example.com" });

        Assert.Single(services, IsSyncService);
    }

    [Theory]
    [InlineData("-00:01:00")]
    [InlineData("8.00:00:00")]
    public void Options_FailureCaseAfterOutOfRange_FailsStartupNamingTheKey(string value)
    {
        using var provider = Register(new Dictionary<string, string?> { ["Channels:FailureCaseAfter"] = value }).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChannelsOptions>>().Value);

        Assert.Contains("Channels:FailureCaseAfter must be between", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_FailureCaseAfterUnset_IsThirtyMinutes()
    {
        using var provider = Register(new Dictionary<string, string?>()).BuildServiceProvider();

        Assert.Equal(TimeSpan.FromMinutes(30), provider.GetRequiredService<IOptions<ChannelsOptions>>().Value.FailureCaseAfter);
    }

    private static ServiceCollection Register(Dictionary<string, string?> settings)
    {
        settings["Engine:Backend"] = "InMemory";
        var services = new ServiceCollection();
        services.AddOrderFlowHost(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services;
    }

    private static bool IsSyncService(ServiceDescriptor descriptor) =>
        descriptor.ServiceType == typeof(IHostedService) && descriptor.ImplementationType == typeof(ChannelSyncService);
}
