using OrderFlow.Integrations.Shopify;
using OrderFlow.Integrations.WooCommerce;

namespace OrderFlow.Integrations.Channels;

/// <summary>Sales channels that receive stock levels, section "Channels". No channel configured: nothing is pushed.</summary>
public sealed class ChannelsOptions
{
    public const string Section = "Channels";

    /// <summary>How often the one-machine host pushes dirty SKUs (the Functions app uses the ChannelSyncSchedule setting).</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    public ShopifyChannelOptions Shopify { get; set; } = new();

    public WooCommerceChannelOptions WooCommerce { get; set; } = new();

    public bool AnyEnabled => Shopify.Enabled || WooCommerce.Enabled;
}
