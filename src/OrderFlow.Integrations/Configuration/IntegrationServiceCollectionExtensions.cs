using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Fraud;
using OrderFlow.Integrations.Accounting;
using OrderFlow.Integrations.Carrier;
using OrderFlow.Integrations.Cases;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.FaultInjection;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Integrations.Inventory;
using OrderFlow.Integrations.Payments;
using OrderFlow.Integrations.Sandbox;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Stripe;
using OrderFlow.Workflows.Approvals;
using OrderFlow.Workflows.Notifications;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Configuration;

/// <summary>Registers the adapters behind the workflow ports, with options bound and validated at start-up.</summary>
public static class IntegrationServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the Storage, Smtp, Store, Cases, Adapters, Fraud, Approvals, Routing, Payments and Channels sections (ValidateOnStart), and
    /// registers storage clients, stores, email, the exception queue and the adapters chosen under "Adapters".
    /// Uses TryAdd throughout, so a host or test can register its own implementation of any service first.
    /// </summary>
    public static IServiceCollection AddOrderFlowIntegrations(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        SecretSetting.Register(services, configuration);
        services.TryAddSingleton<IntegrationOptionsValidator>();
        AddValidatedOptions<StorageOptions>(services, configuration, StorageOptions.Section);
        AddValidatedOptions<SmtpOptions>(services, configuration, SmtpOptions.Section);
        AddValidatedOptions<StoreOptions>(services, configuration, StoreOptions.Section);

        // Branding options (logo, color, phone, locale) are checked at start-up next to the Store section's other rules.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreOptions>, StoreBrandingValidator>());
        AddValidatedOptions<CasesOptions>(services, configuration, CasesOptions.Section);
        AddValidatedOptions<AdaptersOptions>(services, configuration, AdaptersOptions.Section);
        services.AddSingleton<IValidateOptions<AdaptersOptions>>(sp =>
            new SandboxInProductionValidator(SandboxInProduction.EnvironmentName(configuration, sp.GetService<IHostEnvironment>())));
        AddValidatedOptions<FraudOptions>(services, configuration, FraudOptions.Section);
        AddValidatedOptions<ApprovalsOptions>(services, configuration, ApprovalsOptions.Section);
        AddValidatedOptions<RoutingOptions>(services, configuration, RoutingOptions.Section);
        AddValidatedOptions<PaymentsOptions>(services, configuration, PaymentsOptions.Section);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FraudThresholds>(sp => sp.GetRequiredService<IOptions<FraudOptions>>().Value.ToThresholds());

        services.TryAddSingleton<TableServiceClient>(sp => StorageClients.CreateTableService(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString, FaultInjectionServiceCollectionExtensions.StoragePolicy(sp)));
        services.TryAddSingleton<QueueServiceClient>(sp => StorageClients.CreateQueueService(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString, FaultInjectionServiceCollectionExtensions.StoragePolicy(sp)));
        services.TryAddSingleton<OrderFlowTables>();
        services.AddHostedService<StorageInitializer>();

        services.TryAddSingleton<TableOrderStore>();
        services.AddOrderFlowWriteBack();
        services.TryAddSingleton<ITrackingLookup>(sp => sp.GetRequiredService<TableOrderStore>());
        services.TryAddSingleton<IDeliveryStore, TableDeliveryStore>();
        services.TryAddSingleton<TableDeliveryStore>();
        services.TryAddSingleton<IEventDeliveryStore>(sp => sp.GetRequiredService<TableDeliveryStore>());
        services.TryAddSingleton<IDeliveryRetentionStore>(sp => sp.GetRequiredService<TableDeliveryStore>());
        services.TryAddSingleton<IPaymentEventStore, TablePaymentEventStore>();
        services.TryAddSingleton<IRecentOrderStore, TableRecentOrderStore>();
        services.TryAddSingleton<ICatalog, TableCatalog>();
        services.TryAddSingleton<TableExceptionQueue>();
        services.TryAddSingleton<IExceptionQueue>(sp => sp.GetRequiredService<TableExceptionQueue>());
        services.TryAddSingleton<ICaseReader>(sp => sp.GetRequiredService<TableExceptionQueue>());
        services.TryAddSingleton<ICaseDecisionStore>(sp => sp.GetRequiredService<TableExceptionQueue>());
        services.TryAddSingleton<CaseAlertSweep>();
        services.TryAddSingleton<IApprovalNonceStore, TableApprovalNonceStore>();
        services.TryAddSingleton<ApprovalLinkSigner>();
        services.TryAddSingleton<OrderStatusLinkSigner>();
        services.TryAddSingleton<ICustomerEmailPreviews, SampleEmailPreviews>();

        services.TryAddSingleton<IEmailSender, SmtpEmailSender>();
        services.TryAddSingleton<EmailApproverAlert>();
        services.TryAddSingleton<ChatApproverAlert>();
        AddChatAlertClient(services);

        // The email alone, or the email then the chat when Cases:ChatWebhookUrl is set (the chat never blocks the email).
        services.TryAddSingleton<IApproverAlert>(sp => sp.GetRequiredService<IOptions<CasesOptions>>().Value.ChatEnabled
            ? new CompositeApproverAlert([sp.GetRequiredService<EmailApproverAlert>(), sp.GetRequiredService<ChatApproverAlert>()])
            : sp.GetRequiredService<EmailApproverAlert>());
        services.TryAddSingleton(new ClaimHolder(Environment.MachineName, SoleProcessPerWorker: false));
        services.TryAddSingleton<ICustomerNotifier, CustomerNotifier>();

        services.TryAddSingleton<IPendingCancellationStore, TablePendingCancellationStore>();
        services.TryAddSingleton<TableStockLedger>();
        services.TryAddSingleton<IStockJournal>(sp => sp.GetRequiredService<TableStockLedger>());
        services.TryAddSingleton<IStockAlerts>(sp => sp.GetRequiredService<TableStockLedger>());

        services.TryAddSingleton<SandboxPaymentLedger>();
        services.TryAddSingleton<ChannelPaymentVerifier>();
        services.TryAddSingleton<ChannelAdminSettlement>();

        // Shopify payments move through the Admin API once Channels:Shopify is configured, WooCommerce refunds through its
        // REST API once Channels:WooCommerce is; the rest (captures of WooCommerce payments, a channel without
        // credentials) is left to the channel's admin with a case.
        services.TryAddSingleton<Shopify.ShopifyPaymentSettlement>();
        services.TryAddSingleton<WooCommerce.WooCommercePaymentSettlement>();
        services.TryAddSingleton<IChannelPaymentSettlement, ChannelSettlementRouter>();
        services.TryAddSingleton<SandboxPaymentGateway>();
        services.TryAddSingleton<IReconciliationReportStore, TableReconciliationReportStore>();
        services.TryAddSingleton<IReturnStore, TableReturnStore>();
        services.TryAddSingleton<IAutoSplitStore, TableAutoSplitStore>();
        services.TryAddSingleton<OrderFlow.Workflows.Inventory.AutoSplitter>();
        services.AddOrderFlowStripe(configuration);
        services.TryAddSingleton<SandboxCarrierGateway>();
        services.AddOrderFlowEasyPost(configuration);
        services.TryAddSingleton<SandboxAccountingLedger>();
        services.AddOrderFlowQuickBooks(configuration);
        services.AddOrderFlowFulfillment(configuration);
        services.AddOrderFlowChannels(configuration);

        // Reading .Value validates AdaptersOptions, so an unknown value fails with the list of allowed values.
        // One authority per order: Stripe references go to Stripe, channel payments (a Shopify order GID, a WooCommerce
        // order) to the channel's rules; the sandbox mirrors both.
        services.TryAddSingleton<IPaymentGateway>(sp => Adapters(sp).Payment.ToUpperInvariant() switch
        {
            "SANDBOX" => sp.GetRequiredService<SandboxPaymentGateway>(),
            "STRIPE" => new ChannelPaymentRouter(
                sp.GetRequiredService<StripePaymentGateway>(), sp.GetRequiredService<ChannelPaymentVerifier>(), sp.GetRequiredService<IChannelPaymentSettlement>()),
            _ => throw Unsupported("Payment"),
        });
        services.TryAddSingleton<IPaymentLedgerReader>(sp => Adapters(sp).Payment.ToUpperInvariant() switch
        {
            "SANDBOX" => sp.GetRequiredService<SandboxPaymentLedger>(),
            "STRIPE" => new ChannelPaymentLedgerReader(sp.GetRequiredService<StripePaymentLedgerReader>()),
            _ => throw Unsupported("Payment"),
        });
        services.TryAddSingleton<ICarrierGateway>(sp => Adapters(sp).Carrier.ToUpperInvariant() switch
        {
            "SANDBOX" => sp.GetRequiredService<SandboxCarrierGateway>(),
            "EASYPOST" => sp.GetRequiredService<EasyPostCarrierGateway>(),
            _ => throw Unsupported("Carrier"),
        });
        services.TryAddSingleton<IAccountingLedger>(sp => Adapters(sp).Accounting.ToUpperInvariant() switch
        {
            "SANDBOX" => sp.GetRequiredService<SandboxAccountingLedger>(),
            "QUICKBOOKS" => sp.GetRequiredService<QuickBooksAccountingLedger>(),
            _ => throw Unsupported("Accounting"),
        });
        // Queue: own warehouses (and unlisted locations) get pick lists on the queue; 3PL and dropship-email locations,
        // by their Routing Method, get their HTTP or email hand-off.
        services.TryAddSingleton<IFulfillmentProvider>(sp => Adapters(sp).Fulfillment.ToUpperInvariant() switch
        {
            "QUEUE" => sp.GetRequiredService<RoutedFulfillmentProvider>(),
            _ => throw Unsupported("Fulfillment"),
        });

        // Last: with FaultInjection:Enabled it wraps the ports registered above (or by the host or test before).
        services.AddOrderFlowFaultInjection(configuration);
        return services;
    }

    /// <summary>
    /// The chat webhook's client: standard resilience (retries 5xx, 408 and 429 honoring Retry-After, with jittered
    /// backoff), 5 s per attempt and 15 s in all, so a slow chat cannot hold the case activity for long.
    /// </summary>
    private static void AddChatAlertClient(IServiceCollection services)
    {
        services.AddHttpClient(ChatApproverAlert.HttpClientName)
            .AddStandardResilienceHandler(options =>
            {
                options.Retry.MaxRetryAttempts = 2;
                options.Retry.Delay = TimeSpan.FromMilliseconds(500);
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(15);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
            });
    }

    private static void AddValidatedOptions<TOptions>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(sp => (IValidateOptions<TOptions>)(object)sp.GetRequiredService<IntegrationOptionsValidator>());
    }

    private static AdaptersOptions Adapters(IServiceProvider sp) => sp.GetRequiredService<IOptions<AdaptersOptions>>().Value;

    // Unreachable once validation passed; kept so a new enum-like value cannot fall through silently.
    private static InvalidOperationException Unsupported(string port) =>
        new($"Adapters:{port} names an adapter this build does not register.");
}
