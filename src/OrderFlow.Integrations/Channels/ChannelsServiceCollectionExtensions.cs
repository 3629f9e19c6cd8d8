using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using OrderFlow.Integrations.Shopify;
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
        Configuration.SecretSetting.Register(services, configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChannelsOptions>, ChannelsOptionsValidator>());

        services.TryAddSingleton<TableChannelSyncOutbox>();
        services.TryAddSingleton<IChannelSyncOutbox>(sp => sp.GetRequiredService<TableChannelSyncOutbox>());
        services.TryAddSingleton<ShopifyAdminClient>();
        services.TryAddSingleton<ShopifyInventoryChannel>();
        AddShopifyClient(services);

        // Channels registered as ISalesChannel by a host or test, plus Shopify once its shop domain is set.
        services.TryAddSingleton(sp => new ChannelSyncPusher(
            sp.GetRequiredService<TableChannelSyncOutbox>(),
            sp.GetServices<ISalesChannel>().Concat(sp.GetRequiredService<IOptions<ChannelsOptions>>().Value.Shopify.Enabled
                ? [sp.GetRequiredService<ShopifyInventoryChannel>()]
                : []),
            sp.GetRequiredService<ILogger<ChannelSyncPusher>>()));
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
                    client.BaseAddress = new Uri($"https://{shopify.ShopDomain.Trim()}/");
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
}
