using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Fraud;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Accounting;
using OrderFlow.Integrations.Cases;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Fulfillment;
using OrderFlow.Integrations.Sandbox;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Tests.Configuration;

public sealed class AddOrderFlowIntegrationsTests
{
    [Fact]
    public void AddOrderFlowIntegrations_ValidConfiguration_ResolvesEveryPort()
    {
        using var provider = Build(Valid());

        provider.GetRequiredService<IStartupValidator>().Validate();

        // The table store behind the write-back decorator, which records what Shopify / WooCommerce orders' storefronts must learn.
        Assert.IsType<OrderFlow.Integrations.Channels.WriteBackOrderStore>(provider.GetRequiredService<IOrderStore>());
        Assert.NotNull(provider.GetRequiredService<OrderFlow.Integrations.Channels.WriteBackPusher>());
        Assert.Equal(
            ["Shopify", "WooCommerce"],
            provider.GetServices<OrderFlow.Integrations.Channels.IStorefrontWriter>().Select(w => w.Channel).Order(StringComparer.Ordinal));
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
        Assert.IsType<RoutedFulfillmentProvider>(provider.GetRequiredService<IFulfillmentProvider>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        var fraud = provider.GetRequiredService<FraudThresholds>();
        Assert.Equal((100_000_00L, 50, 70, 90), (fraud.HighValueMinorUnits, fraud.HighQuantityUnits, fraud.ReviewScore, fraud.CancelScore));
        Assert.Equal(new FraudWeights(), fraud.Weights);
        Assert.Equal(FraudThresholds.DefaultForwarderPatterns, fraud.ForwarderPatterns);
        Assert.IsType<TableRecentOrderStore>(provider.GetRequiredService<IRecentOrderStore>());
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
        var fraud = provider.GetRequiredService<FraudThresholds>();
        Assert.Equal((250000L, 50, 60), (fraud.HighValueMinorUnits, fraud.HighQuantityUnits, fraud.ReviewScore));
        Assert.IsType<SandboxPaymentGateway>(provider.GetRequiredService<IPaymentGateway>());
    }

    [Fact]
    public void Validate_BadFraudRules_ReportsEachWithItsKey()
    {
        var settings = Valid();
        settings["Fraud:ReviewScore"] = "80";
        settings["Fraud:CancelScore"] = "60";
        settings["Fraud:VelocityWindow"] = "00:00:00";
        settings["Fraud:Weights:FirstOrder"] = "101";
        settings["Fraud:Weights:Velocity"] = "-1";
        settings["Fraud:ForwarderPatterns:0"] = "(unclosed";
        settings["Fraud:HighRiskSkus:0"] = " ";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Fraud:CancelScore (60) must be at least Fraud:ReviewScore (80).", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Fraud:VelocityWindow must be a positive duration", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Fraud:Weights:FirstOrder must be between 0 and 100.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Fraud:Weights:Velocity must be between 0 and 100.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Fraud:ForwarderPatterns:0 is not a valid regular expression", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Fraud:HighRiskSkus:0 must not be empty.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOrderFlowIntegrations_FraudRulesBound_ReachTheScorer()
    {
        var settings = Valid();
        settings["Fraud:CancelScore"] = "85";
        settings["Fraud:VelocityWindow"] = "02:00:00";
        settings["Fraud:VelocityOrderLimit"] = "5";
        settings["Fraud:Weights:CountryMismatch"] = "35";
        settings["Fraud:HighRiskSkus:0"] = "GIFT-100";
        settings["Fraud:HighRiskSkus:1"] = "PS5";
        settings["Fraud:ForwarderPatterns:0"] = "\\bmy-forwarder\\b";
        using var provider = Build(settings);

        provider.GetRequiredService<IStartupValidator>().Validate();

        var fraud = provider.GetRequiredService<FraudThresholds>();
        Assert.Equal((85, TimeSpan.FromHours(2), 5, 35), (fraud.CancelScore, fraud.VelocityWindow, fraud.VelocityOrderLimit, fraud.Weights.CountryMismatch));
        Assert.Equal(["GIFT-100", "PS5"], fraud.HighRiskSkus);
        Assert.Equal(["\\bmy-forwarder\\b"], fraud.ForwarderPatterns);
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
    public void Validate_StripeAdapterConfigured_ResolvesStripeBehindTheChannelRouter()
    {
        var settings = Valid();
        settings["Adapters:Payment"] = "stripe";
        settings["Stripe:ApiKey"] = "sk_test_0123456789abcdef";
        settings["Stripe:WebhookSecret"] = "whsec_0123456789abcdef";
        settings["Stripe:ApiBase"] = "http://127.0.0.1:12111";
        using var provider = Build(settings);

        provider.GetRequiredService<IStartupValidator>().Validate();

        // Stripe references go to Stripe; a channel-held payment (a Shopify order without a PaymentIntent) to its channel.
        Assert.IsType<OrderFlow.Integrations.Payments.ChannelPaymentRouter>(provider.GetRequiredService<IPaymentGateway>());
        Assert.IsType<OrderFlow.Integrations.Payments.ChannelPaymentLedgerReader>(provider.GetRequiredService<IPaymentLedgerReader>());

        // Captures and refunds of channel-held payments: Shopify's and WooCommerce's each through their own settlement.
        Assert.IsType<OrderFlow.Integrations.Payments.ChannelSettlementRouter>(provider.GetRequiredService<OrderFlow.Integrations.Payments.IChannelPaymentSettlement>());
    }

    [Theory]
    [InlineData("Hold", true)]
    [InlineData("ship", true)]
    [InlineData("Later", false)]
    public void Validate_PaymentsPendingPolicy_OnlyHoldOrShip(string policy, bool valid)
    {
        var settings = Valid();
        settings["Payments:PendingPolicy"] = policy;
        using var provider = Build(settings);

        if (valid)
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return;
        }

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Payments:PendingPolicy 'Later' is not supported; allowed values: Hold, Ship.", error.Message, StringComparison.Ordinal);
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
    public void Validate_QuickBooksAdapterWithoutSettings_FailsNamingEachKey()
    {
        var settings = Valid();
        settings["Adapters:Accounting"] = "QuickBooks";
        settings["QuickBooks:ClientSecret"] = "UNSET";
        settings["QuickBooks:TokenUrl"] = "oauth.platform.intuit.com";
        settings["QuickBooks:Items"] = "MUG-01=11;TEE-02";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        foreach (var key in new[] { "RealmId", "ClientId", "CustomerId", "DepositAccountId", "DefaultItemId" })
        {
            Assert.Contains($"QuickBooks:{key} is required.", ex.Message, StringComparison.Ordinal);
        }

        Assert.Contains("QuickBooks:ClientSecret is required when Adapters:Accounting is QuickBooks.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("QuickBooks:RefreshToken is required when Adapters:Accounting is QuickBooks.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("QuickBooks:TokenUrl 'oauth.platform.intuit.com' must be an absolute http(s) URL.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("QuickBooks:Items entry 'TEE-02' must be 'name=id', once per name (pairs separated by ';').", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_QuickBooksAdapterConfigured_ResolvesQuickBooksLedger()
    {
        var settings = Valid();
        settings["Adapters:Accounting"] = "quickbooks";
        settings["QuickBooks:RealmId"] = "9130350593748606";
        settings["QuickBooks:ClientId"] = "ABc123";
        settings["QuickBooks:ClientSecret"] = "client-secret-0123456789";
        settings["QuickBooks:RefreshToken"] = "AB11-refresh-0123456789";
        settings["QuickBooks:CustomerId"] = "58";
        settings["QuickBooks:DepositAccountId"] = "35";
        settings["QuickBooks:DefaultItemId"] = "1";
        settings["QuickBooks:Items"] = "MUG-01=11;TEE-02=12";
        using var provider = Build(settings);

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<QuickBooksAccountingLedger>(provider.GetRequiredService<IAccountingLedger>());
        var options = provider.GetRequiredService<IOptions<QuickBooksOptions>>().Value;
        Assert.Equal(QuickBooksOptions.SandboxBaseUrl, options.BaseUrl);
        Assert.Equal("11", options.ItemIds["mug-01"]);
        Assert.Equal("12", options.ItemIds["TEE-02"]);
    }

    [Fact]
    public void Validate_SandboxAccounting_IgnoresTheEmptyQuickBooksSection()
    {
        using var provider = Build(Valid());

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<SandboxAccountingLedger>(provider.GetRequiredService<IAccountingLedger>());
    }

    [Fact]
    public void Validate_EasyPostCarrierWithoutKeysOrAddresses_FailsNamingEachKey()
    {
        var settings = Valid();
        settings["Adapters:Carrier"] = "EasyPost";
        settings["EasyPost:WebhookSecret"] = "UNSET";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("EasyPost:ApiKey is required when Adapters:Carrier is EasyPost.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EasyPost:WebhookSecret is required when Adapters:Carrier is EasyPost.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EasyPost:FromAddresses needs one ship-from address per fulfillment location", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EasyPostRulesOutOfRange_FailsNamingEachKeyEvenWithTheSandboxCarrier()
    {
        var settings = Valid();
        settings["EasyPost:MaxDeliveryDays"] = "0";
        settings["EasyPost:Fallback"] = "Slowest";
        settings["EasyPost:SkuWeightsOz"] = "SKU-MUG=14,SKU-TEE";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("EasyPost:MaxDeliveryDays must be between 1 and 60.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EasyPost:Fallback 'Slowest' is not supported; allowed values: Fastest, Cheapest, Fail.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EasyPost:SkuWeightsOz: 'SKU-TEE' is not SKU=ounces", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EasyPostCarrierConfigured_ResolvesEasyPostGatewayAndTheTrackingLookup()
    {
        var settings = Valid();
        settings["Adapters:Carrier"] = "easypost";
        settings["EasyPost:ApiKey"] = "EZTK_test_0123456789";
        settings["EasyPost:WebhookSecret"] = "easypost-webhook-secret";
        settings["EasyPost:FromAddresses:0:Location"] = "WH-EAST";
        settings["EasyPost:FromAddresses:0:Company"] = "Demo Store East";
        settings["EasyPost:FromAddresses:0:Street1"] = "417 Montgomery Street";
        settings["EasyPost:FromAddresses:0:City"] = "San Francisco";
        settings["EasyPost:FromAddresses:0:State"] = "CA";
        settings["EasyPost:FromAddresses:0:Zip"] = "94104";
        using var provider = Build(settings);

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<OrderFlow.Integrations.Carrier.EasyPostCarrierGateway>(provider.GetRequiredService<ICarrierGateway>());
        Assert.Same(provider.GetRequiredService<TableOrderStore>(), provider.GetRequiredService<ITrackingLookup>());
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

    [Fact]
    public void Validate_NoRoutingSection_IsValidAndRoutesUnlistedLocations()
    {
        using var provider = Build(Valid());

        provider.GetRequiredService<IStartupValidator>().Validate();

        var routing = provider.GetRequiredService<IOptions<RoutingOptions>>().Value;
        Assert.Empty(routing.Locations);
        Assert.True(routing.AllowUnconfiguredLocations);
    }

    [Fact]
    public void AddOrderFlowIntegrations_RoutingLocations_BindToPolicyLocations()
    {
        var settings = Valid();
        settings["Routing:Locations:0:Id"] = "WH-EAST";
        settings["Routing:Locations:0:Kind"] = "warehouse";
        settings["Routing:Locations:0:Regions:0"] = "US, CA";
        settings["Routing:Locations:0:Regions:1"] = "MX";
        settings["Routing:Locations:0:Priority"] = "1";
        settings["Routing:Locations:0:HandlingDays"] = "2";
        settings["Routing:Locations:0:Country"] = "US";
        settings["Routing:Locations:0:Subdivision"] = "NJ";
        settings["Routing:Locations:1:Id"] = "ACME-3PL";
        settings["Routing:Locations:1:Kind"] = "ThirdParty";
        settings["Routing:Locations:1:Method"] = "ThirdPartyApi";
        settings["Routing:Locations:1:Regions:0"] = "*";
        settings["FulfillmentPartners:Locations:0:Location"] = "ACME-3PL";
        settings["FulfillmentPartners:Locations:0:EndpointUrl"] = "https://api.acme-3pl.example.com/orders";
        settings["FulfillmentPartners:Locations:0:CancelUrl"] = "https://api.acme-3pl.example.com/orders/{fulfillmentId}/cancel";
        settings["FulfillmentPartners:SigningSecret"] = "acme-3pl-signing-secret-0123";
        using var provider = Build(settings);

        provider.GetRequiredService<IStartupValidator>().Validate();

        var locations = provider.GetRequiredService<IOptions<RoutingOptions>>().Value.ToLocations();
        Assert.Equal(2, locations.Count);
        var east = locations[0];
        Assert.Equal(
            ("WH-EAST", LocationKind.Warehouse, FulfillmentMethod.OwnWarehouse, 1, 2, "US", "NJ", (string?)null),
            (east.Id, east.Kind, east.Method, east.Priority, east.HandlingDays, east.Country, east.Subdivision, east.PostalPrefix));
        Assert.Equal(["US", "CA", "MX"], east.Regions);
        Assert.Equal((LocationKind.ThirdParty, FulfillmentMethod.ThirdPartyApi), (locations[1].Kind, locations[1].Method));
    }

    [Fact]
    public void Validate_BadRoutingLocations_ReportsEachWithItsKey()
    {
        var settings = Valid();
        settings["Routing:Locations:0:Id"] = "WH-A";
        settings["Routing:Locations:0:Kind"] = "Spaceport";
        settings["Routing:Locations:0:Method"] = "Teleport";
        settings["Routing:Locations:0:Regions:0"] = "USA";
        settings["Routing:Locations:0:Priority"] = "-1";
        settings["Routing:Locations:1:Id"] = "wh-a";
        settings["Routing:Locations:1:HandlingDays"] = "400";
        settings["Routing:Locations:1:Country"] = "United States";
        settings["Routing:Locations:2:Kind"] = "Store";
        settings["Routing:Locations:2:Regions:0"] = "US-CA";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Routing:Locations:0:Kind 'Spaceport' is not supported; allowed values: Warehouse, Store, ThirdParty, Dropship, Digital, Pickup.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Routing:Locations:0:Method 'Teleport' is not supported; allowed values: OwnWarehouse, ThirdPartyApi, DropshipEmail, DropshipApi, DigitalDelivery, LocalPickup.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Routing:Locations:0:Regions entry 'USA' must be", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Routing:Locations:0:Priority must be 0 or more", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Routing:Locations:1:Id 'wh-a' is listed more than once", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Routing:Locations:1:Regions must list at least one region", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Routing:Locations:1:HandlingDays must be between 0 and 365.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Routing:Locations:1:Country 'United States' must be an ISO 3166-1 alpha-2 code", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Routing:Locations:2:Id is required.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Routing:Locations:2:Regions", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoLocationsWhileUnlistedLocationsAreRefused_Fails()
    {
        var settings = Valid();
        settings["Routing:AllowUnconfiguredLocations"] = "false";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Routing:Locations must list at least one location when Routing:AllowUnconfiguredLocations is false", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PartnerLocationsWithoutHandoffSettings_ReportsEachWithItsKey()
    {
        var settings = Valid();
        settings["Routing:Locations:0:Id"] = "ACME-3PL";
        settings["Routing:Locations:0:Method"] = "ThirdPartyApi";
        settings["Routing:Locations:0:Regions:0"] = "*";
        settings["Routing:Locations:1:Id"] = "BETA-3PL";
        settings["Routing:Locations:1:Method"] = "ThirdPartyApi";
        settings["Routing:Locations:1:Regions:0"] = "*";
        settings["Routing:Locations:2:Id"] = "MUG-VENDOR";
        settings["Routing:Locations:2:Method"] = "DropshipEmail";
        settings["Routing:Locations:2:Regions:0"] = "*";
        settings["FulfillmentPartners:Locations:0:Location"] = "BETA-3PL";
        settings["FulfillmentPartners:Locations:0:EndpointUrl"] = "ftp://beta.example.com";
        settings["FulfillmentPartners:Locations:0:CancelUrl"] = "ftp://beta.example.com/{fulfillmentId}/cancel";
        settings["FulfillmentPartners:Locations:0:Timeout"] = "00:00:00";
        settings["FulfillmentPartners:Locations:1:Location"] = "beta-3pl";
        settings["FulfillmentPartners:Locations:1:VendorEmail"] = "not an address";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Routing location 'ACME-3PL' is ThirdPartyApi: FulfillmentPartners:Locations needs an entry with Location 'ACME-3PL' and an EndpointUrl.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Routing location 'BETA-3PL' is ThirdPartyApi: set its Secret or FulfillmentPartners:SigningSecret", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Routing location 'MUG-VENDOR' is DropshipEmail: FulfillmentPartners:Locations needs an entry with Location 'MUG-VENDOR' and a VendorEmail.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FulfillmentPartners:Locations:0:EndpointUrl 'ftp://beta.example.com' must be an absolute http(s) URL.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FulfillmentPartners:Locations:0:Timeout must be positive", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FulfillmentPartners:Locations:0:CancelUrl 'ftp://beta.example.com/f/cancel' must be an absolute http(s) URL.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FulfillmentPartners:Locations:1:Location 'beta-3pl' is listed more than once", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FulfillmentPartners:Locations:1:VendorEmail 'not an address' is not a valid email address.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PartnerLocationsConfigured_ValidAndThePortIsTheRoutedProvider()
    {
        var settings = Valid();
        settings["Routing:Locations:0:Id"] = "ACME-3PL";
        settings["Routing:Locations:0:Method"] = "ThirdPartyApi";
        settings["Routing:Locations:0:Regions:0"] = "*";
        settings["Routing:Locations:1:Id"] = "MUG-VENDOR";
        settings["Routing:Locations:1:Method"] = "DropshipEmail";
        settings["Routing:Locations:1:Regions:0"] = "*";
        settings["FulfillmentPartners:Locations:0:Location"] = "ACME-3PL";
        settings["FulfillmentPartners:Locations:0:EndpointUrl"] = "https://api.acme-3pl.example.com/orders";
        settings["FulfillmentPartners:Locations:0:CancelUrl"] = "https://api.acme-3pl.example.com/orders/{fulfillmentId}/cancel";
        settings["FulfillmentPartners:Locations:0:Secret"] = "acme-own-secret-0123456789";
        settings["FulfillmentPartners:Locations:1:Location"] = "MUG-VENDOR";
        settings["FulfillmentPartners:Locations:1:VendorEmail"] = "orders@mugs.example.com";
        using var provider = Build(settings);

        provider.GetRequiredService<IStartupValidator>().Validate();

        var partners = provider.GetRequiredService<IOptions<FulfillmentPartnersOptions>>().Value;
        Assert.Equal("acme-own-secret-0123456789", partners.SecretFor(partners.Find("acme-3pl")!));
        Assert.IsType<RoutedFulfillmentProvider>(provider.GetRequiredService<IFulfillmentProvider>());
        Assert.IsType<RoutedFulfillmentProvider>(provider.GetRequiredService<IFulfillmentCanceller>());
    }

    [Fact]
    public void Validate_ThirdPartyLocationWithoutCancelUrl_FailsNamingTheSetting()
    {
        var settings = Valid();
        settings["Routing:Locations:0:Id"] = "ACME-3PL";
        settings["Routing:Locations:0:Method"] = "ThirdPartyApi";
        settings["Routing:Locations:0:Regions:0"] = "*";
        settings["FulfillmentPartners:Locations:0:Location"] = "ACME-3PL";
        settings["FulfillmentPartners:Locations:0:EndpointUrl"] = "https://api.acme-3pl.example.com/orders";
        settings["FulfillmentPartners:Locations:0:Secret"] = "acme-own-secret-0123456789";
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Routing location 'ACME-3PL' is ThirdPartyApi: its FulfillmentPartners:Locations entry needs a CancelUrl", ex.Message, StringComparison.Ordinal);
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
