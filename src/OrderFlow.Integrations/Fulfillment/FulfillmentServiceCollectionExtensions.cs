using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using OrderFlow.Workflows.Options;
using Polly;

namespace OrderFlow.Integrations.Fulfillment;

/// <summary>
/// Registers the fulfillment hand-offs: the pick-list queue, the 3PL HTTP adapter (validated FulfillmentPartners
/// options, resilient HttpClient), the dropship purchase-order email and the <see cref="RoutedFulfillmentProvider"/> over them.
/// </summary>
public static class FulfillmentServiceCollectionExtensions
{
    private const int MaxRetryAttempts = 3;

    public static IServiceCollection AddOrderFlowFulfillment(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FulfillmentPartnersOptions>().Bind(configuration.GetSection(FulfillmentPartnersOptions.Section)).ValidateOnStart();
        Workflows.Options.SecretSetting.Register(services, configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FulfillmentPartnersOptions>, FulfillmentPartnersOptionsValidator>());

        // Short transient faults only (408, 429 honoring Retry-After, 5xx, timeouts), with jittered backoff; the durable
        // retry policy around the dispatch activity is the outer layer. Each attempt gets its location's Timeout, and
        // each 3PL host its own circuit breaker, so one failing 3PL does not stop the others.
        services.AddHttpClient(ThirdPartyFulfillmentProvider.HttpClientName)
            .AddStandardResilienceHandler(options =>
            {
                options.Retry.MaxRetryAttempts = MaxRetryAttempts;
                options.Retry.Delay = TimeSpan.FromSeconds(1);

                // The static values bound the per-location ones and satisfy the handler's own validation.
                options.AttemptTimeout.Timeout = TimeSpan.FromMinutes(5);
                options.AttemptTimeout.TimeoutGenerator = args => ValueTask.FromResult(AttemptTimeout(args.Context));
                options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(25);
                options.TotalRequestTimeout.TimeoutGenerator = args =>
                    ValueTask.FromResult((AttemptTimeout(args.Context) * (MaxRetryAttempts + 1)) + TimeSpan.FromSeconds(30));
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(10);
            })
            .SelectPipelineByAuthority();

        services.TryAddSingleton<FulfillmentHandoffReader>();
        services.TryAddSingleton<PickListStore>();
        services.TryAddSingleton<OrderFlow.Workflows.Ports.IPickListStore>(sp => sp.GetRequiredService<PickListStore>());
        services.TryAddSingleton<QueueFulfillmentProvider>();
        services.TryAddSingleton<ThirdPartyFulfillmentProvider>();
        services.TryAddSingleton<DropshipEmailFulfillmentProvider>();
        services.TryAddSingleton<OrderFlow.Workflows.Ports.IFulfillmentCanceller>(sp => sp.GetRequiredService<RoutedFulfillmentProvider>());
        services.TryAddSingleton(sp => new RoutedFulfillmentProvider(
            sp.GetRequiredService<IOptions<RoutingOptions>>(),
            sp.GetRequiredService<QueueFulfillmentProvider>(),
            sp.GetRequiredService<ThirdPartyFulfillmentProvider>(),
            sp.GetRequiredService<DropshipEmailFulfillmentProvider>()));
        return services;
    }

    private static TimeSpan AttemptTimeout(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(ThirdPartyFulfillmentProvider.AttemptTimeoutOption, out var timeout) == true
            ? timeout
            : FulfillmentPartnerOptions.DefaultTimeout;
}
