using OrderFlow.Integrations.Shopify;
using OrderFlow.Integrations.WooCommerce;

namespace OrderFlow.Integrations.Channels;

/// <summary>Sales channels that receive stock levels, section "Channels". No channel configured: nothing is pushed.</summary>
public sealed class ChannelsOptions
{
    public const string Section = "Channels";

    /// <summary>How often the one-machine host pushes dirty SKUs (the Functions app uses the ChannelSyncSchedule setting).</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a channel may keep failing (runs in a row leaving SKUs out of date there) before a ChannelSyncFailed case opens.</summary>
    public TimeSpan FailureCaseAfter { get; set; } = TimeSpan.FromMinutes(30);

    public ShopifyChannelOptions Shopify { get; set; } = new();

    public WooCommerceChannelOptions WooCommerce { get; set; } = new();

    public bool AnyEnabled => Shopify.Enabled || WooCommerce.Enabled;
}
