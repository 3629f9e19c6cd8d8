using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderFlow.Api.Cases;
using OrderFlow.Host.Cases;
using OrderFlow.Integrations.Cases;

namespace OrderFlow.Host.Tests.Cases;

/// <summary>The host runs the case decision sweeper, so a recorded decision whose event failed still reaches its workflow.</summary>
public sealed class CaseDecisionSweeperRegistrationTests
{
    [Fact]
    public void AddOrderFlowHost_RegistersTheSweeperOnceEveryMinute()
    {
        var services = new ServiceCollection();
        services.AddOrderFlowHost(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Engine:Backend"] = "InMemory" }).Build());

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(CaseDecisionSweeperService));
        Assert.Equal(TimeSpan.FromMinutes(1), new CasesOptions().SweepInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), CaseDecisionService.RedeliverAfter);
    }
}
