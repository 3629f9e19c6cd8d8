using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderFlow.Integrations.Accounting;
using OrderFlow.Integrations.Carrier;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Integrations.Shopify;
using OrderFlow.Integrations.Stripe;
using OrderFlow.Integrations.WooCommerce;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.FaultInjection;

/// <summary>
/// Registers <see cref="FaultInjectionOptions"/> (validated at start-up) and, only when <c>FaultInjection:Enabled</c> is
/// true, wraps the ports (payment, carrier, accounting, fulfillment hand-off, email) and adds the 503 handler to the
/// HTTP adapters' clients. Called last by AddOrderFlowIntegrations, so it wraps whatever a host or test registered.
/// Storage faults are added where the storage clients are made (<see cref="Storage.StorageClients"/>).
/// </summary>
public static class FaultInjectionServiceCollectionExtensions
{
    private static readonly (string Target, string Client)[] HttpClients =
    [
        (FaultInjectionOptions.Payment, StripePaymentGateway.HttpClientName),
        (FaultInjectionOptions.Carrier, EasyPostCarrierGateway.HttpClientName),
        (FaultInjectionOptions.Fulfillment, ThirdPartyFulfillmentProvider.HttpClientName),
        (FaultInjectionOptions.Accounting, QuickBooksAccountingLedger.HttpClientName),
        (FaultInjectionOptions.Accounting, QuickBooksTokenProvider.HttpClientName),
        (FaultInjectionOptions.Channels, ShopifyAdminClient.HttpClientName),
        (FaultInjectionOptions.Channels, WooCommerceInventoryChannel.HttpClientName),
    ];

    public static IServiceCollection AddOrderFlowFaultInjection(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FaultInjectionOptions>().Bind(configuration.GetSection(FaultInjectionOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FaultInjectionOptions>>(sp =>
            new FaultInjectionOptionsValidator(SandboxInProduction.EnvironmentName(configuration, sp.GetService<IHostEnvironment>())));
        services.TryAddSingleton<FaultInjector>();
        if (!configuration.GetValue<bool>($"{FaultInjectionOptions.Section}:Enabled"))
        {
            return services;
        }

        Decorate<IPaymentGateway>(services, (inner, sp) => new FaultInjectingPaymentGateway(inner, sp.GetRequiredService<FaultInjector>()));
        Decorate<ICarrierGateway>(services, (inner, sp) => new FaultInjectingCarrierGateway(inner, sp.GetRequiredService<FaultInjector>()));
        Decorate<IAccountingLedger>(services, (inner, sp) => new FaultInjectingAccountingLedger(inner, sp.GetRequiredService<FaultInjector>()));
        Decorate<IFulfillmentProvider>(services, (inner, sp) => new FaultInjectingFulfillmentProvider(inner, sp.GetRequiredService<FaultInjector>()));
        Decorate<IEmailSender>(services, (inner, sp) => new FaultInjectingEmailSender(inner, sp.GetRequiredService<FaultInjector>()));

        // Added after the adapters' own handlers, so it is the innermost: their retries see the 503s.
        foreach (var (target, client) in HttpClients)
        {
            services.AddHttpClient(client).AddHttpMessageHandler(sp => new FaultInjectionHttpHandler(sp.GetRequiredService<FaultInjector>(), target));
        }

        return services;
    }

    /// <summary>The storage policy when Storage faults are configured, else null (what <see cref="Storage.StorageClients"/> takes).</summary>
    public static Azure.Core.Pipeline.HttpPipelinePolicy? StoragePolicy(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var faults = services.GetService<FaultInjector>();
        return faults is not null && faults.Injects(FaultInjectionOptions.Storage) ? new FaultInjectionStoragePolicy(faults) : null;
    }

    private static void Decorate<T>(IServiceCollection services, Func<T, IServiceProvider, T> wrap)
        where T : class
    {
        for (var i = 0; i < services.Count; i++)
        {
            var d = services[i];
            if (d.ServiceType != typeof(T) || d.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Describe(typeof(T), sp => wrap((T)Create(d, sp), sp), d.Lifetime);
        }
    }

    private static object Create(ServiceDescriptor d, IServiceProvider sp) =>
        d.ImplementationInstance ?? d.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!);
}
