using Microsoft.DurableTask.Testing;
using OrderFlow.Functions.Durable;
using OrderFlow.Testing;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Functions.Tests;

/// <summary>
/// The Functions app's workflow client over a real <c>DurableTaskClient</c> (the DurableTask in-process test host: the
/// gRPC sidecar and worker the isolated worker uses, on an in-memory backend) passes the same contract as the
/// one-machine host's client.
/// </summary>
public sealed class DurableTaskClientContractTests : WorkflowClientContract
{
    protected override bool SupportsEntities => false;

    protected override async Task<(IWorkflowClient Client, IAsyncDisposable Host)> StartAsync()
    {
        var host = await DurableTaskTestHost.StartAsync(registry => registry.AddOrchestrator<ContractOrchestrator>());
        return (new DurableTaskClientWorkflowClient(host.Client), host);
    }
}
