using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using global::Stripe;

namespace OrderFlow.Integrations.Stripe;

/// <summary>Registers the Stripe options (validated at start-up), the Stripe payment gateway and its reconciliation reader.</summary>
public static class StripeServiceCollectionExtensions
{
    public static IServiceCollection AddOrderFlowStripe(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StripeOptions>().Bind(configuration.GetSection(StripeOptions.Section)).ValidateOnStart();
        Workflows.Options.SecretSetting.Register(services, configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>());

        // No Polly pipeline here: Stripe.net retries itself (MaxNetworkRetries, same idempotency key, Stripe-Should-Retry),
        // and stacking a second retry layer would multiply attempts under the durable retry policy.
        services.AddHttpClient(StripePaymentGateway.HttpClientName);
        services.TryAddSingleton<StripePaymentGateway>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StripeOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(StripePaymentGateway.HttpClientName);
            var client = CreateClient(options, http);
            return new StripePaymentGateway(
                new PaymentIntentService(client),
                new RefundService(client),
                sp.GetRequiredService<ILogger<StripePaymentGateway>>());
        });
        services.TryAddSingleton<StripePaymentLedgerReader>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StripeOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(StripePaymentGateway.HttpClientName);
            return new StripePaymentLedgerReader(
                new PaymentIntentService(CreateClient(options, http)),
                sp.GetRequiredService<ILogger<StripePaymentLedgerReader>>());
        });
        return services;
    }

    /// <summary>A Stripe client for the configured key and API base over the given HttpClient.</summary>
    public static IStripeClient CreateClient(StripeOptions options, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        return new StripeClient(new StripeClientOptions
        {
            ApiKey = options.ApiKey,
            ApiBase = options.ApiBase.TrimEnd('/'),
            HttpClient = new SystemNetHttpClient(http, options.MaxNetworkRetries),
        });
    }
}
