using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Testing;

/// <summary>
/// What the HTTP handlers rely on from <see cref="IWorkflowClient"/>, whichever host runs the engine: the one-machine
/// host's client over the in-process engine (Host.Tests) and the Functions app's client over a real
/// <c>DurableTaskClient</c> (Functions.Tests) both derive from this class and must pass every test in it.
/// An instance id names one order for good: it is never started twice, only a Failed or Terminated run is restarted.
/// Events are raised without waiting for the run to reach its wait: the engine keeps an event until the run asks for it.
/// </summary>
public abstract class WorkflowClientContract : IAsyncLifetime
{
    public const string EventName = "Go";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private IAsyncDisposable? host;

    protected IWorkflowClient Client { get; private set; } = null!;

    /// <summary>Starts an engine with <see cref="ContractOrchestrator"/> registered and returns the client under test.</summary>
    protected abstract Task<(IWorkflowClient Client, IAsyncDisposable Host)> StartAsync();

    /// <summary>False where the backend under the client has no entities (the DurableTask test host).</summary>
    protected virtual bool SupportsEntities => true;

    public async Task InitializeAsync() => (this.Client, this.host) = await this.StartAsync();

    public async Task DisposeAsync()
    {
        if (this.host is not null)
        {
            await this.host.DisposeAsync();
        }
    }

    [Fact]
    public async Task StartAsync_NewId_StartsOnceAndRefusesTheSameIdWhileRunning()
    {
        var id = NewId();

        Assert.True(await this.Client.StartAsync(nameof(ContractOrchestrator), id, new ContractInput("a")));
        Assert.False(await this.Client.StartAsync(nameof(ContractOrchestrator), id, new ContractInput("b")));
        Assert.Equal("a", (await this.Client.GetInputAsync<ContractInput>(id))?.Name);
    }

    [Fact]
    public async Task RaiseEventAsync_ReachesTheRun_WaitForCompletionReturnsItsOutput()
    {
        var id = NewId();
        await this.Client.StartAsync(nameof(ContractOrchestrator), id, new ContractInput("a"));

        await this.Client.RaiseEventAsync(id, EventName, "ok");
        var done = await this.Client.WaitForCompletionAsync(id, Patience);

        Assert.NotNull(done);
        Assert.Equal(id, done.InstanceId);
        Assert.Equal("Completed", done.RuntimeStatus);
        Assert.True(done.IsTerminal);
        Assert.Contains("a:ok", done.Output, StringComparison.Ordinal);
        Assert.NotNull(done.LastUpdated);
    }

    [Fact]
    public async Task StartAsync_AfterTheRunCompleted_NeverStartsItAgain()
    {
        var id = NewId();
        await this.Client.StartAsync(nameof(ContractOrchestrator), id, new ContractInput("a"));
        await this.Client.RaiseEventAsync(id, EventName, "ok");
        Assert.Equal("Completed", (await this.Client.WaitForCompletionAsync(id, Patience))?.RuntimeStatus);

        Assert.False(await this.Client.StartAsync(nameof(ContractOrchestrator), id, new ContractInput("again")));
        Assert.False(await this.Client.RestartAsync(nameof(ContractOrchestrator), id, new ContractInput("again")));
        Assert.Equal("Completed", (await this.Client.GetStatusAsync(id))?.RuntimeStatus);
    }

    [Fact]
    public async Task WaitForCompletionAsync_TimeoutPasses_ReturnsTheCurrentStatusWithoutThrowing()
    {
        var id = NewId();
        await this.Client.StartAsync(nameof(ContractOrchestrator), id, new ContractInput("a"));

        var status = await this.Client.WaitForCompletionAsync(id, TimeSpan.FromMilliseconds(300));

        Assert.NotNull(status);
        Assert.False(status.IsTerminal);
    }

    [Fact]
    public async Task UnknownInstance_HasNoStatusInputOrRestart()
    {
        var id = NewId();

        Assert.Null(await this.Client.GetStatusAsync(id));
        Assert.Null(await this.Client.GetInputAsync<ContractInput>(id));
        Assert.False(await this.Client.RestartAsync(nameof(ContractOrchestrator), id, new ContractInput("a")));
    }

    [Fact]
    public async Task RestartAsync_FailedRun_IsReplacedUnderTheSameIdAndListedUntilThen()
    {
        var id = NewId();
        await this.Client.StartAsync(nameof(ContractOrchestrator), id, new ContractInput("first"));
        Assert.False(await this.Client.RestartAsync(nameof(ContractOrchestrator), id, new ContractInput("early")));
        await this.Client.RaiseEventAsync(id, EventName, ContractOrchestrator.Fail);
        Assert.Equal("Failed", (await this.Client.WaitForCompletionAsync(id, Patience))?.RuntimeStatus);

        var failed = await this.Client.ListInstancesAsync(nameof(ContractOrchestrator), ["Failed"], 1000);
        var listed = Assert.Single(failed, f => f.InstanceId == id);
        Assert.Equal(nameof(ContractOrchestrator), listed.Name);
        Assert.Equal("Failed", listed.RuntimeStatus);
        Assert.Contains("asked to fail", listed.Failure, StringComparison.Ordinal);

        Assert.True(await this.Client.RestartAsync(nameof(ContractOrchestrator), id, new ContractInput("second")));
        Assert.False((await this.Client.GetStatusAsync(id))!.IsTerminal);
        Assert.Equal("second", (await this.Client.GetInputAsync<ContractInput>(id))?.Name);
        Assert.DoesNotContain(await this.Client.ListInstancesAsync(nameof(ContractOrchestrator), ["Failed"], 1000), f => f.InstanceId == id);
        await this.Client.RaiseEventAsync(id, EventName, "ok");
        Assert.Contains("second:ok", (await this.Client.WaitForCompletionAsync(id, Patience))?.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerminateAsync_RunningRun_EndsTerminatedWithTheReason()
    {
        var id = NewId();
        await this.Client.StartAsync(nameof(ContractOrchestrator), id, new ContractInput("a"));

        await this.Client.TerminateAsync(id, "stopped by the contract");
        var ended = await this.Client.WaitForCompletionAsync(id, Patience);

        Assert.Equal("Terminated", ended?.RuntimeStatus);
        Assert.Contains("stopped by the contract", ended!.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetEntityStateAsync_UnknownEntity_IsNull()
    {
        if (!this.SupportsEntities)
        {
            // The DurableTask test host has no entities; the entity read is covered by the host's engine.
            Assert.False(this.SupportsEntities);
            return;
        }

        Assert.Null(await this.Client.GetEntityStateAsync<ContractInput>("InventoryEntity", NewId()));
    }

    private static string NewId() => "contract-" + Guid.NewGuid().ToString("N")[..12];
}

public sealed record ContractInput(string Name);

/// <summary>Waits for one event: "fail" fails the run, anything else completes it with "{name}:{value}".</summary>
public sealed class ContractOrchestrator : TaskOrchestrator<ContractInput, string>
{
    public const string Fail = "fail";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, ContractInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        context.SetCustomStatus("waiting");
        var value = await context.WaitForExternalEvent<string>(WorkflowClientContract.EventName);
        if (value == Fail)
        {
            throw new InvalidOperationException("asked to fail");
        }

        return $"{input.Name}:{value}";
    }
}
