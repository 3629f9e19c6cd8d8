using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Fraud;
using OrderFlow.Integrations.Cases;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Integrations.Sandbox;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Tests.Configuration;

public sealed class AddOrderFlowIntegrationsTests
{
    [Fact]
    public void AddOrderFlowIntegrations_ValidConfiguration_ResolvesEveryPort()
    {
        using var provider = Build(Valid());

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<TableOrderStore>(provider.GetRequiredService<IOrderStore>());
        Assert.IsType<TableDeliveryStore>(provider.GetRequiredService<IDeliveryStore>());
        Assert.IsType<TableCatalog>(provider.GetRequiredService<ICatalog>());
        Assert.IsType<TableExceptionQueue>(provider.GetRequiredService<IExceptionQueue>());
        Assert.Same(provider.GetRequiredService<IExceptionQueue>(), provider.GetRequiredService<ICaseReader>());
        Assert.IsType<CustomerNotifier>(provider.GetRequiredService<ICustomerNotifier>());
        Assert.IsType<EmailApproverAlert>(provider.GetRequiredService<IApproverAlert>());
        Assert.IsType<SandboxPaymentGateway>(provider.GetRequiredService<IPaymentGateway>());
        Assert.IsType<SandboxPaymentLedger>(provider.GetRequiredService<IPaymentLedgerReader>());
        Assert.IsType<TableReconciliationReportStore>(provider.GetRequiredService<IReconciliationReportStore>());
        Assert.IsType<SandboxCarrierGateway>(provider.GetRequiredService<ICarrierGateway>());
        Assert.IsType<SandboxAccountingLedger>(provider.GetRequiredService<IAccountingLedger>());
        Assert.IsType<QueueFulfillmentProvider>(provider.GetRequiredService<IFulfillmentProvider>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.Equal(new FraudThresholds(), provider.GetRequiredService<FraudThresholds>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is StorageInitializer);
    }

    [Fact]
    public void AddOrderFlowIntegrations_SectionsBound_OptionsCarryValues()
    {
        var settings = Valid();
        settings["Smtp:Port"] = "587";
        settings["Smtp:Security"] = "StartTls";
        settings["Smtp:Username"] = "relay-user";
        settings["Smtp:Password"] = "relay-secret";
        settings["Fraud:HighValueMinorUnits"] = "250000";
        settings["Fraud:ReviewScore"] = "60";
        settings["Adapters:Payment"] = "sandbox";
        using var provider = Build(settings);

        provider.GetRequiredService<IStartupValidator>().Validate();

        var smtp = provider.GetRequiredService<IOptions<SmtpOptions>>().Value;
        Assert.Equal(587, smtp.Port);
        Assert.Equal(SmtpSecurity.StartTls, smtp.Security);
        Assert.Equal(new FraudThresholds(250000, 50, 60), provider.GetRequiredService<FraudThresholds>());
        Assert.IsType<SandboxPaymentGateway>(provider.GetRequiredService<IPaymentGateway>());
    }

    [Fact]
    public void Validate_MissingSmtpHost_FailsNamingTheKey()
    {
        var settings = Valid();
        settings.Remove("Smtp:Host");
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Smtp:Host is required.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralBadValues_ReportsEachWithItsKey()
    {
        var settings = Valid();
        settings["Store:SupportEmail"] = "not-an-email";
        settings["Store:HelpUrl"] = "ftp://shop.example.com/help";
        settings["Cases:ApproverEmail"] = string.Empty;
        settings["Storage:TablePrefix"] = "bad-prefix";
        using var provider = Build(settings);

        var ex = Assert.Throws<AggregateException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var messages = string.Join(Environment.NewLine, ex.InnerExceptions.Select(e => e.Message));
        Assert.Contains("Store:SupportEmail 'not-an-email' is not a valid email address.", messages, StringComparison.Ordinal);
        Assert.Contains("Store:HelpUrl 'ftp://shop.example.com/help' must be an absolute http(s) URL.", messages, StringComparison.Ordinal);
        Assert.Contains("Cases:ApproverEmail is required.", messages, StringComparison.Ordinal);
        Assert.Contains("Storage:TablePrefix 'bad-prefix' must be at most 40 ASCII letters or digits and start with a letter.", messages, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownPaymentAdapter_FailsListingAllowedValues()
    {
        var settings = Valid();
        settings["Adapters:Payment"] = "Adyen";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Adapters:Payment 'Adyen' is not supported; allowed values: Sandbox, Stripe.", ex.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IPaymentGateway>());
    }

    [Fact]
    public void Validate_StripeAdapterWithoutKeys_FailsNamingEachKey()
    {
        var settings = Valid();
        settings["Adapters:Payment"] = "Stripe";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Stripe:ApiKey is required when Adapters:Payment is Stripe.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Stripe:WebhookSecret is required when Adapters:Payment is Stripe.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StripeAdapterConfigured_ResolvesStripeGateway()
    {
        var settings = Valid();
        settings["Adapters:Payment"] = "stripe";
        settings["Stripe:ApiKey"] = "sk_test_123";
        settings["Stripe:WebhookSecret"] = "whsec_123";
        settings["Stripe:ApiBase"] = "http://127.0.0.1:12111";
        using var provider = Build(settings);

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<OrderFlow.Integrations.Stripe.StripePaymentGateway>(provider.GetRequiredService<IPaymentGateway>());
        Assert.IsType<OrderFlow.Integrations.Stripe.StripePaymentLedgerReader>(provider.GetRequiredService<IPaymentLedgerReader>());
    }

    [Fact]
    public void Validate_StripeApiBaseNotAUrl_Fails()
    {
        var settings = Valid();
        settings["Stripe:ApiBase"] = "api.stripe.com";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Stripe:ApiBase 'api.stripe.com' must be an absolute http(s) URL.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StorageInitializer_StartAsync_CreatesEveryTable()
    {
        Azurite.EnsureReachable();
        var settings = Valid();
        var prefix = Azurite.NewPrefix();
        settings["Storage:TablePrefix"] = prefix;
        using var provider = Build(settings);
        var initializer = provider.GetServices<IHostedService>().OfType<StorageInitializer>().Single();
        var tables = provider.GetRequiredService<OrderFlowTables>();
        var service = provider.GetRequiredService<Azure.Data.Tables.TableServiceClient>();

        await initializer.StartAsync(CancellationToken.None);

        try
        {
            var existing = new List<string>();
            await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(prefix) >= 0 && t.Name.CompareTo(prefix + "{") < 0))
            {
                existing.Add(table.Name);
            }

            Assert.Equal(TableNames.All.Select(tables.NameOf).Order(), existing.Order());
        }
        finally
        {
            foreach (var name in TableNames.All)
            {
                await service.DeleteTableAsync(tables.NameOf(name));
            }
        }
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddOrderFlowIntegrations(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Storage:ConnectionString"] = Azurite.ConnectionString,
        ["Storage:TablePrefix"] = "cfg",
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = "2526",
        ["Smtp:FromAddress"] = "orders@shop.example.com",
        ["Smtp:FromName"] = "Demo Store",
        ["Store:StoreName"] = "Demo Store",
        ["Store:SupportEmail"] = "support@shop.example.com",
        ["Store:HelpUrl"] = "https://shop.example.com/help",
        ["Store:OrderStatusBaseUrl"] = "https://shop.example.com/orders",
        ["Cases:ApproverEmail"] = "approvers@shop.example.com",
        ["Approvals:SigningKey"] = TestApprovals.SigningKey,
        ["Approvals:PublicBaseUrl"] = TestApprovals.PublicBaseUrl,
    };
}
