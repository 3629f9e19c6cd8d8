using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Carrier;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.FaultInjection;
using OrderFlow.Integrations.Sandbox;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using WireMock.RequestBuilders;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.FaultInjection;

/// <summary>
/// FaultInjection configured through the hosts' registration: validated at start-up, ports wrapped only when enabled,
/// 503s injected below an HTTP adapter's own retries, storage faults below the Azure SDK's retries (Azurite).
/// </summary>
public sealed class FaultInjectionRegistrationTests : IDisposable
{
    private readonly ListLogger<FaultInjector> logger = new();
    private readonly WireMockServer server = WireMockServer.Start();

    public void Dispose() => server.Stop();

    [Fact]
    public void Options_EnabledInProduction_FailsStartupNamingTheKey()
    {
        using var provider = Build(new() { ["FaultInjection:Enabled"] = "true", ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production" });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FaultInjectionOptions>>().Value);

        Assert.Contains("FaultInjection:Enabled is true in the Production environment", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FaultInjection:Targets:Stripe:FailRate", "0.5", "FaultInjection:Targets:Stripe is not a fault injection target")]
    [InlineData("FaultInjection:Targets:Payment:FailRate", "1.5", "FaultInjection:Targets:Payment:FailRate must be between 0 and 1")]
    [InlineData("FaultInjection:Targets:Email:ErrorResponseRate", "0.1", "FaultInjection:Targets:Email:ErrorResponseRate applies to HTTP adapters only")]
    [InlineData("FaultInjection:Targets:Carrier:Latency", "00:10:00", "FaultInjection:Targets:Carrier:Latency must be between")]
    public void Options_Invalid_FailsStartupNamingTheKey(string key, string value, string expected)
    {
        using var provider = Build(new() { ["FaultInjection:Enabled"] = "true", [key] = value });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FaultInjectionOptions>>().Value);

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOrderFlowIntegrations_InjectionOff_PortsAreNotWrapped()
    {
        using var provider = Build(new() { ["FaultInjection:Targets:Payment:FailRate"] = "1" });

        Assert.IsType<SandboxPaymentGateway>(provider.GetRequiredService<IPaymentGateway>());
        Assert.IsType<SmtpEmailSender>(provider.GetRequiredService<IEmailSender>());
    }

    [Fact]
    public async Task AddOrderFlowIntegrations_PaymentAndEmailFailRateOne_ThePortsFailWithTheInjectedFault()
    {
        using var provider = Build(new()
        {
            ["FaultInjection:Enabled"] = "true",
            ["FaultInjection:Targets:Payment:FailRate"] = "1",
            ["FaultInjection:Targets:Email:FailRate"] = "1",
        });

        var payment = provider.GetRequiredService<IPaymentGateway>();
        var email = provider.GetRequiredService<IEmailSender>();

        await Assert.ThrowsAsync<InjectedFaultException>(() => payment.CaptureAsync(new CapturePaymentRequest("shop-1", "pi_1", new Money(100, "USD"), true, "shop-1:capture")));
        await Assert.ThrowsAsync<InjectedFaultException>(() => email.SendAsync(new EmailMessage("a@shop.example.com", null, "s", "t", "<p>t</p>", "k")));
    }

    [Fact]
    public async Task HttpAdapter_ErrorResponseInjected_TheAdaptersOwnRetryAbsorbsItAndTheProviderSeesOneRequest()
    {
        server.Given(Request.Create().WithPath("/v2/ping").UsingGet()).RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithBody("pong"));
        using var provider = Build(new()
        {
            ["FaultInjection:Enabled"] = "true",
            ["FaultInjection:Seed"] = SeedFailingFirstRollOnly(0.5).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FaultInjection:Targets:Carrier:ErrorResponseRate"] = "0.5",
        });
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(EasyPostCarrierGateway.HttpClientName);

        using var response = await client.GetAsync(new Uri(server.Url + "/v2/ping"));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Single(server.LogEntries);
        Assert.Single(logger.Entries, e => e.Contains("Fault injected: Carrier error-response", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Storage_FailureInjected_TheSdkRetriesAndTheWriteLandsOnce()
    {
        using var provider = Build(new()
        {
            ["FaultInjection:Enabled"] = "true",
            ["FaultInjection:Seed"] = SeedFailingFirstRollOnly(0.5).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FaultInjection:Targets:Storage:FailRate"] = "0.5",
        });
        var tables = provider.GetRequiredService<TableServiceClient>();
        var table = tables.GetTableClient($"faults{Guid.NewGuid():N}"[..20]);
        await StorageClients.CreateTableService(Azurite.ConnectionString).CreateTableIfNotExistsAsync(table.Name);

        await table.AddEntityAsync(new TableEntity("p", "r") { ["Value"] = 1 });

        var stored = await StorageClients.CreateTableService(Azurite.ConnectionString).GetTableClient(table.Name).GetEntityAsync<TableEntity>("p", "r");
        Assert.Equal(1, stored.Value.GetInt32("Value"));
        Assert.Single(logger.Entries, e => e.Contains("Fault injected: Storage fail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Storage_AnswerLost_TheSdksRetryFindsTheWriteAlreadyApplied()
    {
        using var provider = Build(new()
        {
            ["FaultInjection:Enabled"] = "true",
            ["FaultInjection:Seed"] = SeedFailingFirstRollOnly(0.5).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FaultInjection:Targets:Storage:LostResponseRate"] = "0.5",
        });
        var table = provider.GetRequiredService<TableServiceClient>().GetTableClient($"faults{Guid.NewGuid():N}"[..20]);
        await StorageClients.CreateTableService(Azurite.ConnectionString).CreateTableIfNotExistsAsync(table.Name);

        // What callers of an insert must handle under lost answers: the retry meets the row the first attempt wrote.
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, ex.Status);
        Assert.Single(logger.Entries, e => e.Contains("Fault injected: Storage lost-response", StringComparison.Ordinal));
    }

    /// <summary>A seed whose first roll falls under <paramref name="rate"/> (injects) and whose second does not.</summary>
    private static int SeedFailingFirstRollOnly(double rate) =>
        Enumerable.Range(1, 1000).First(seed =>
        {
            var dice = new Random(seed);
            return dice.NextDouble() < rate && dice.NextDouble() >= rate;
        });

    private ServiceProvider Build(Dictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Azurite.ConnectionString,
            ["Storage:TablePrefix"] = "faults",
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = "2526",
            ["Smtp:FromAddress"] = "orders@shop.example.com",
            ["Store:StoreName"] = "Demo Store",
            ["Store:SupportEmail"] = "support@shop.example.com",
            ["Store:HelpUrl"] = "https://shop.example.com/help",
            ["Store:OrderStatusBaseUrl"] = "https://shop.example.com/orders",
            ["Cases:ApproverEmail"] = "approvers@shop.example.com",
            ["Approvals:SigningKey"] = TestApprovals.SigningKey,
            ["Approvals:PublicBaseUrl"] = TestApprovals.PublicBaseUrl,
            ["EasyPost:ApiKey"] = "EZTK0123456789abcdef0123456789abcdef",
            ["EasyPost:BaseUrl"] = server.Url,
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<ILogger<FaultInjector>>(logger);
        services.AddOrderFlowIntegrations(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
