using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Cases;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Options;
using OrderFlow.Api.Reconciliation;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Api;

/// <summary>Registers the HTTP handlers and their validated options (both hosts call this).</summary>
public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddOrderFlowApi(this IServiceCollection services, IConfiguration configuration)
    {
        SecretSetting.Register(services, configuration);
        services.TryAddSingleton<ApiSecretsValidator>();
        services.AddOptions<IntakeOptions>().Bind(configuration.GetSection(IntakeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<IntakeOptions>>(sp => sp.GetRequiredService<ApiSecretsValidator>());
        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection(WorkflowOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InventoryOptions>().Bind(configuration.GetSection(InventoryOptions.Section)).ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure<OrderFlow.Workflows.Inventory.AutoSplitRegistry>((options, registry) => options.UseAutomaticSplits(registry));

        // The automatic splits (state, not configuration) seen by everything that reads InventoryOptions in this process.
        services.TryAddSingleton(sp => new OrderFlow.Workflows.Inventory.AutoSplitRegistry(sp.GetService<OrderFlow.Workflows.Ports.IAutoSplitStore>(), sp.GetService<TimeProvider>()));
        services.AddOptions<WatchdogOptions>().Bind(configuration.GetSection(WatchdogOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ShopifyWebhookReceiver>();
        services.AddSingleton<ShopifyWebhookHandler>();
        services.AddSingleton<ShopifyCancellationHandler>();
        services.AddSingleton<ShopifyPaymentHandler>();
        services.AddSingleton<ChannelPaymentRelease>();
        services.AddSingleton<OrderCancellation>();
        services.AddSingleton<CancelOrderHandler>();
        services.AddSingleton<WooCommerceWebhookHandler>();
        services.AddOptions<StripeWebhookOptions>().Bind(configuration.GetSection(StripeWebhookOptions.Section));
        services.AddOptions<CarrierWebhookOptions>().Bind(configuration.GetSection(CarrierWebhookOptions.Section));
        services.AddSingleton<StripeWebhookHandler>();
        services.AddSingleton<CarrierWebhookHandler>();
        services.AddSingleton<PaymentEventRelay>();
        services.AddSingleton<StockInsightHandler>();
        services.AddSingleton<OrderFlow.Workflows.Inventory.ReservationReaper>();
        services.AddSingleton<OrderFlow.Workflows.Watchdog.WorkflowWatchdog>();
        services.AddSingleton<OrderIntake>();
        services.AddSingleton<UnmappableDeliveries>();
        services.AddSingleton<GenericOrderHandler>();
        services.AddSingleton<OrderQueryHandler>();
        services.AddSingleton<OrderStatusPageHandler>();
        services.AddSingleton<InventoryHandler>();
        services.AddSingleton<StockMovementHandler>();
        services.AddSingleton<CallbackAuthenticator>();
        services.AddSingleton<FulfillmentEventProcessor>();
        services.AddSingleton<FulfillmentEventsHandler>();
        services.AddSingleton<NotificationPreviewHandler>();
        services.AddOptions<OperationsOptions>().Bind(configuration.GetSection(OperationsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperationsOptions>>(sp => sp.GetRequiredService<ApiSecretsValidator>());
        services.AddSingleton<OrderFlow.Workflows.Watchdog.WorkflowRestarter>();
        services.AddSingleton<CaseDecisionService>();
        services.AddSingleton<ApprovalPageHandler>();
        services.AddSingleton<CasesHandler>();
        services.AddSingleton<ConsoleHandler>();
        services.AddSingleton<PickPackHandler>();
        services.AddSingleton<ReconciliationHandler>();
        services.AddSingleton<OrderFlow.Api.Catalog.CatalogHandler>();
        services.AddSingleton<OrderFlow.Api.Catalog.CatalogConsoleHandler>();
        services.AddOptions<ReconciliationOptions>().Bind(configuration.GetSection(ReconciliationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DailyReconciliation>();
        services.AddOptions<ReturnOptions>().Bind(configuration.GetSection(ReturnOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OrderFlow.Api.Returns.ReturnsHandler>();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OrderFlow.Api.Retention.DeliveryRetention>();
        services.AddOptions<RateLimitingOptions>().Bind(configuration.GetSection(RateLimitingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
