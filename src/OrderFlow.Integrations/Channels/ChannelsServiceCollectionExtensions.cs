using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Options;
using Polly;
using OrderFlow.Integrations.Shopify;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.WooCommerce;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Channels;

/// <summary>Registers the channel-sync outbox, the pusher and the sales channels configured under "Channels".</summary>
public static class ChannelsServiceCollectionExtensions
{
    public static IServiceCollection AddOrderFlowChannels(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ChannelsOptions>().Bind(configuration.GetSection(ChannelsOptions.Section)).ValidateOnStart();
        Workflows.Options.SecretSetting.Register(services, configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChannelsOptions>, ChannelsOptionsValidator>());

        services.TryAddSingleton<TableChannelSyncOutbox>();
        services.TryAddSingleton<IChannelSyncOutbox>(sp => sp.GetRequiredService<TableChannelSyncOutbox>());
        services.TryAddSingleton<ChannelSyncFailures>();
        services.TryAddSingleton<ShopifyAdminClient>();
        services.TryAddSingleton<ShopifyInventoryChannel>();
        AddShopifyClient(services);
        services.TryAddSingleton<WooCommerceRestClient>();
        services.TryAddSingleton<WooCommerceInventoryChannel>();
        AddWooCommerceClient(services);

        // Storefront write-back: the outbox the order store decorator records in, and one writer per channel. The pusher
        // that sends it needs the order store, so AddOrderFlowIntegrations registers it (a channel-only host has none).
        services.TryAddSingleton<TableWriteBackOutbox>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStorefrontWriter, ShopifyStorefrontWriter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStorefrontWriter, WooCommerceStorefrontWriter>());

        // Channels registered as ISalesChannel by a host or test, plus Shopify once its shop domain is set and WooCommerce
        // once its store URL is set.
        services.TryAddSingleton(sp =>
        {
            var channels = sp.GetRequiredService<IOptions<ChannelsOptions>>().Value;
            var configured = new List<ISalesChannel>();
            if (channels.Shopify.Enabled)
            {
                configured.Add(sp.GetRequiredService<ShopifyInventoryChannel>());
            }

            if (channels.WooCommerce.Enabled)
            {
                configured.Add(sp.GetRequiredService<WooCommerceInventoryChannel>());
            }

            return new ChannelSyncPusher(
                sp.GetRequiredService<TableChannelSyncOutbox>(),
                sp.GetServices<ISalesChannel>().Concat(configured),
                sp.GetRequiredService<ILogger<ChannelSyncPusher>>(),
                sp.GetRequiredService<ChannelSyncFailures>(),
                sp.GetService<WriteBackPusher>(),
                sp.GetService<IOptions<InventoryOptions>>()?.Value);
        });
        return services;
    }

    /// <summary>
    /// Storefront write-back: the order store (over <see cref="TableOrderStore"/>) that also records what a Shopify or
    /// WooCommerce order's storefront must learn, and the pusher the channel-sync run sends it with. Needs the tables and
    /// the case queue; AddOrderFlowIntegrations calls it.
    /// </summary>
    public static IServiceCollection AddOrderFlowWriteBack(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IOrderStore>(sp => new WriteBackOrderStore(
            sp.GetRequiredService<TableOrderStore>(),
            sp.GetRequiredService<TableWriteBackOutbox>(),
            sp.GetRequiredService<IOptions<ChannelsOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<WriteBackPusher>();
        return services;
    }

    /// <summary>
    /// The Admin API client: 3 minutes in all, 30 s per attempt, retries per <see cref="ShopifyRetryPolicy"/> (429 with
    /// Retry-After, GraphQL THROTTLED after the bucket refills, transient faults). The pipeline owns the timeouts.
    /// </summary>
    private static void AddShopifyClient(IServiceCollection services)
    {
        services.AddHttpClient(ShopifyInventoryChannel.HttpClientName, (sp, client) =>
            {
                var shopify = sp.GetRequiredService<IOptions<ChannelsOptions>>().Value.Shopify;
                if (shopify.Enabled)
                {
                    client.BaseAddress = shopify.AdminBaseAddress();
                }

                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddResilienceHandler("shopify", (builder, context) => builder
                .AddTimeout(TimeSpan.FromMinutes(3))
                .AddRetry(ShopifyRetryPolicy.Create(
                    context.ServiceProvider.GetRequiredService<ILogger<ShopifyInventoryChannel>>(),
                    context.ServiceProvider.GetRequiredService<TimeProvider>()))
                .AddTimeout(TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// The WooCommerce REST client: 3 minutes in all, 30 s per attempt, retries per <see cref="WooCommerceRetryPolicy"/>
    /// (429 with Retry-After, transient faults). Setting an absolute stock_quantity or an order status is idempotent, so
/// retries are safe; an order note is marked to be retried only after a 429.
    /// </summary>
    private static void AddWooCommerceClient(IServiceCollection services)
    {
        services.AddHttpClient(WooCommerceRestClient.HttpClientName, (sp, client) =>
            {
                var woo = sp.GetRequiredService<IOptions<ChannelsOptions>>().Value.WooCommerce;
                if (woo.Enabled)
                {
                    client.BaseAddress = woo.BaseAddress();
                }

                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddResilienceHandler("woocommerce", (builder, context) => builder
                .AddTimeout(TimeSpan.FromMinutes(3))
                .AddRetry(WooCommerceRetryPolicy.Create(
                    context.ServiceProvider.GetRequiredService<ILogger<WooCommerceInventoryChannel>>(),
                    context.ServiceProvider.GetRequiredService<TimeProvider>()))
                .AddTimeout(TimeSpan.FromSeconds(30)));
    }
}
