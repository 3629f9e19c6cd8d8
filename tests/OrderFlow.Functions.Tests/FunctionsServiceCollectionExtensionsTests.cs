using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Api.Options;
using OrderFlow.Functions.Triggers;
using OrderFlow.Integrations.Configuration;
using OrderFlow.Workflows;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Functions.Tests;

public sealed class FunctionsServiceCollectionExtensionsTests
{
    [Fact]
    public void AddOrderFlowFunctions_RegistersEveryRegistryActivityAsTransient()
    {
        var services = new ServiceCollection().AddOrderFlowFunctions(new ConfigurationBuilder().Build());

        foreach (var activity in WorkflowRegistry.Activities)
        {
            var descriptor = Assert.Single(services, d => d.ServiceType == activity);
            Assert.Equal(ServiceLifetime.Transient, descriptor.Lifetime);
        }
    }

    [Fact]
    public void AddOrderFlowFunctions_SampleSettings_ValidateAndResolveEveryActivityAndTheHttpTriggers()
    {
        using var provider = BuildProvider(SampleSettings());

        Assert.Equal(TimeSpan.FromDays(2), provider.GetRequiredService<IOptions<WorkflowOptions>>().Value.FulfillmentConfirmationTimeout);
        Assert.Equal("local-dev-shopify-secret", provider.GetRequiredService<IOptions<IntakeOptions>>().Value.ShopifyWebhookSecret);
        // Per invocation, as the worker resolves them (its FunctionContext.InstanceServices is a scope).
        using var invocation = provider.CreateScope();
        foreach (var activity in WorkflowRegistry.Activities)
        {
            Assert.IsType(activity, invocation.ServiceProvider.GetRequiredService(activity));
        }

        Assert.NotNull(ActivatorUtilities.CreateInstance<HttpTriggers>(provider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<ChannelSyncTimerTrigger>(provider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<ReservationReaperTimerTrigger>(provider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<WatchdogTimerTrigger>(provider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<OrderFlow.Functions.RateLimiting.InboundRateLimitMiddleware>(provider));
    }

    [Fact]
    public async Task AddOrderFlowFunctions_CaseDecisionsOnWorkflowFailedCasesGoThroughTheRestarter()
    {
        using var provider = BuildProvider(SampleSettings());
        var decisions = provider.GetRequiredService<OrderFlow.Api.Cases.CaseDecisionService>();
        var workflows = new Moq.Mock<OrderFlow.Workflows.Ports.IWorkflowClient>();
        workflows.Setup(w => w.GetStatusAsync("shop-1", Moq.It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrderFlow.Workflows.Contracts.WorkflowStatus("shop-1", "Running", null, null, DateTimeOffset.UtcNow));
        var failedCase = new OrderFlow.Workflows.Contracts.ExceptionCase(
            "shop-1-watchdog-failed-Failed", "shop-1", OrderFlow.Domain.Cases.ExceptionReason.WorkflowFailed, "complete", "test",
            OrderFlow.Domain.Cases.CasePolicy.AllowedResolutions(OrderFlow.Domain.Cases.ExceptionReason.WorkflowFailed), DateTimeOffset.UtcNow.AddDays(1),
            OrderFlow.Workflows.Contracts.CaseStatuses.Open, DateTimeOffset.UtcNow, null);

        // The workflow still runs, so the restarter refuses before anything is recorded.
        var outcome = await decisions.DecideAsync(failedCase, OrderFlow.Domain.Cases.CaseResolution.RetryStep, "operator", null, workflows.Object, CancellationToken.None);

        Assert.Equal(OrderFlow.Api.Cases.CaseDecisionOutcome.RestartRefused, outcome);
        workflows.Verify(w => w.RestartAsync(Moq.It.IsAny<string>(), Moq.It.IsAny<string>(), Moq.It.IsAny<object>(), Moq.It.IsAny<CancellationToken>()), Moq.Times.Never);
    }

    [Fact]
    public void AddOrderFlowFunctions_PlaceholderSecretFromInfra_FailsValidation()
    {
        // infra/app.bicep stores "UNSET" until a real secret is provided; the app must refuse it.
        var settings = SampleSettings();
        settings["Intake:ShopifyWebhookSecret"] = "UNSET";
        using var provider = BuildProvider(settings);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<IntakeOptions>>().Value);
        Assert.Contains("ShopifyWebhookSecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOrderFlowFunctions_WatchdogThresholdForAFinalStatus_FailsValidationNamingTheKey()
    {
        var settings = SampleSettings();
        settings["Watchdog:StuckAfter:Cancelled"] = "01:00:00";
        using var provider = BuildProvider(settings);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WatchdogOptions>>().Value);
        Assert.Contains("Watchdog:StuckAfter:Cancelled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOrderFlowFunctions_AzureFunctionsEnvironmentProductionWithSandboxAdapters_RefusesNamingTheKeys()
    {
        var settings = SampleSettings();
        settings["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production";
        using var provider = BuildProvider(settings);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AdaptersOptions>>().Value);

        Assert.Contains("Adapters:Payment is Sandbox in the Production environment", error.Message, StringComparison.Ordinal);
        Assert.Contains("Adapters:AllowSandboxInProduction=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOrderFlowFunctions_HostEnvironmentProductionWithoutFunctionsVariable_RefusesSandboxAdapters()
    {
        // On Azure AZURE_FUNCTIONS_ENVIRONMENT may be unset: the worker's own environment then decides (Production by default).
        var settings = SampleSettings();
        settings.Remove("AZURE_FUNCTIONS_ENVIRONMENT");
        using var provider = BuildProvider(settings, Environments.Production);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AdaptersOptions>>().Value);

        Assert.Contains("Adapters:Carrier is Sandbox", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOrderFlowFunctions_ProductionWithSandboxAllowedExplicitly_Passes()
    {
        var settings = SampleSettings();
        settings["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production";
        settings["Adapters:AllowSandboxInProduction"] = "true";
        using var provider = BuildProvider(settings);

        Assert.True(provider.GetRequiredService<IOptions<AdaptersOptions>>().Value.AllowSandboxInProduction);
    }

    [Fact]
    public void AddOrderFlowFunctions_FunctionsDevelopmentOverridesWorkerProduction_Passes()
    {
        var settings = SampleSettings();
        settings["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        using var provider = BuildProvider(settings, Environments.Production);

        Assert.Equal("Sandbox", provider.GetRequiredService<IOptions<AdaptersOptions>>().Value.Payment);
    }

    internal static ServiceProvider BuildProvider(Dictionary<string, string?> settings, string? hostEnvironment = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        if (hostEnvironment is not null)
        {
            services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = hostEnvironment, ApplicationName = "OrderFlow.Functions", ContentRootPath = AppContext.BaseDirectory });
        }

        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddOrderFlowFunctions(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>local.settings.sample.json's Values, as the Functions host hands them to the worker (Section__Key = Section:Key).</summary>
    internal static Dictionary<string, string?> SampleSettings()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json")));
        return document.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString(), StringComparer.OrdinalIgnoreCase);
    }
}
