using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderFlow.Host;
using OrderFlow.Host.Configuration;
using OrderFlow.Integrations.Configuration;

namespace OrderFlow.Host.Tests.Configuration;

/// <summary>The one-machine host refuses to start on sandboxes in the Production environment unless allowed explicitly.</summary>
public sealed class SandboxInProductionTests
{
    [Fact]
    public void AddOrderFlowHost_ProductionWithSandboxAdapters_RefusesNamingEachKey()
    {
        using var provider = Build(Environments.Production, []);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AdaptersOptions>>().Value);

        Assert.Contains("Adapters:Payment is Sandbox in the Production environment", error.Message, StringComparison.Ordinal);
        Assert.Contains("Adapters:Carrier is Sandbox", error.Message, StringComparison.Ordinal);
        Assert.Contains("Adapters:Accounting is Sandbox", error.Message, StringComparison.Ordinal);
        Assert.Contains("Adapters:AllowSandboxInProduction=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOrderFlowHost_ProductionWithSandboxWarehouse_Refuses()
    {
        using var provider = Build(Environments.Production, new() { ["Host:SandboxWarehouse"] = "true" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HostSettings>>().Value);

        Assert.Contains("Host:SandboxWarehouse is true in the Production environment", error.Message, StringComparison.Ordinal);
        Assert.Contains("Adapters:AllowSandboxInProduction=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOrderFlowHost_ProductionWithSandboxesAllowedExplicitly_Passes()
    {
        using var provider = Build(Environments.Production, new() { ["Host:SandboxWarehouse"] = "true", ["Adapters:AllowSandboxInProduction"] = "true" });

        Assert.Equal("Sandbox", provider.GetRequiredService<IOptions<AdaptersOptions>>().Value.Payment);
        Assert.True(provider.GetRequiredService<IOptions<HostSettings>>().Value.SandboxWarehouse);
    }

    [Fact]
    public void AddOrderFlowHost_ProductionWithRealAdapters_Passes()
    {
        using var provider = Build(Environments.Production, new()
        {
            ["Adapters:Payment"] = "Stripe",
            ["Adapters:Carrier"] = "EasyPost",
            ["Adapters:Accounting"] = "QuickBooks",
        });

        Assert.Empty(provider.GetRequiredService<IOptions<AdaptersOptions>>().Value.SandboxKeys());
        Assert.False(provider.GetRequiredService<IOptions<HostSettings>>().Value.SandboxWarehouse);
    }

    [Fact]
    public void AddOrderFlowHost_DevelopmentWithSandboxes_Passes()
    {
        using var provider = Build(Environments.Development, new() { ["Host:SandboxWarehouse"] = "true" });

        Assert.Equal("Sandbox", provider.GetRequiredService<IOptions<AdaptersOptions>>().Value.Carrier);
        Assert.True(provider.GetRequiredService<IOptions<HostSettings>>().Value.SandboxWarehouse);
    }

    private static ServiceProvider Build(string environment, Dictionary<string, string?> settings)
    {
        settings["Engine:Backend"] = "InMemory";
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new TestEnvironment(environment));
        services.AddOrderFlowHost(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
