using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrderFlow.Integrations.Accounting;

/// <summary>Registers the QuickBooks options (validated at start-up), its HttpClients, the token provider and the ledger.</summary>
public static class QuickBooksServiceCollectionExtensions
{
    public static IServiceCollection AddOrderFlowQuickBooks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<QuickBooksOptions>().Bind(configuration.GetSection(QuickBooksOptions.Section)).ValidateOnStart();
        Workflows.Options.SecretSetting.Register(services, configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QuickBooksOptions>, QuickBooksOptionsValidator>());

        // 429 (QuickBooks throttles per company) and 5xx are retried with jittered exponential backoff, honoring Retry-After.
        // Retrying a create is safe: it carries the same requestid, which QuickBooks answers with its first response.
        services.AddHttpClient(QuickBooksAccountingLedger.HttpClientName).AddStandardResilienceHandler(Configure);
        services.AddHttpClient(QuickBooksTokenProvider.HttpClientName).AddStandardResilienceHandler(Configure);

        services.TryAddSingleton<QuickBooksRefreshTokenStore>();
        services.TryAddSingleton<QuickBooksTokenProvider>();
        services.TryAddSingleton<QuickBooksAccountingLedger>();
        return services;
    }

    private static void Configure(Microsoft.Extensions.Http.Resilience.HttpStandardResilienceOptions options)
    {
        options.Retry.MaxRetryAttempts = 3;
        options.Retry.Delay = TimeSpan.FromSeconds(1);
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(2);
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(1);
    }
}
