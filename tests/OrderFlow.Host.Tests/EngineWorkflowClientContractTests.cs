using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Engine;
using OrderFlow.Testing;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Host.Tests;

/// <summary>The one-machine host's workflow client over the in-process engine passes the same contract as the Functions app's.</summary>
public sealed class EngineWorkflowClientContractTests : WorkflowClientContract
{
    protected override async Task<(IWorkflowClient Client, IAsyncDisposable Host)> StartAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDurableEngine(
            o =>
            {
                o.Backend = DurableEngineBackend.InMemory;
                o.TaskHubName = "c" + Guid.NewGuid().ToString("N")[..20];
                o.StatusPollingInterval = TimeSpan.FromMilliseconds(20);
            },
            registry => registry.AddOrchestrator<ContractOrchestrator>());
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DurableEngine>().StartAsync(CancellationToken.None);
        return (new EngineWorkflowClient(provider.GetRequiredService<TaskHubWorkflowClient>()), provider);
    }
}
