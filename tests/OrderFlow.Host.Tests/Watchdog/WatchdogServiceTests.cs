using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Host.Watchdog;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Watchdog;

namespace OrderFlow.Host.Tests.Watchdog;

/// <summary>The one-machine host runs the watchdog on Watchdog:Interval; a failed pass does not stop the next.</summary>
public sealed class WatchdogServiceTests
{
    [Fact]
    public void AddOrderFlowHost_RegistersTheWatchdogServiceAndTheRestarterOnce()
    {
        var services = new ServiceCollection();
        services.AddOrderFlowHost(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Engine:Backend"] = "InMemory" }).Build());

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(WatchdogService));
        Assert.Single(services, d => d.ServiceType == typeof(WorkflowWatchdog));
        Assert.Single(services, d => d.ServiceType == typeof(WorkflowRestarter) && d.Lifetime == ServiceLifetime.Singleton);
    }

    [Fact]
    public void AddOrderFlowHost_UnknownStatusInWatchdogStuckAfter_FailsValidationNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Engine:Backend"] = "InMemory",
            ["Watchdog:StuckAfter:Shipped"] = "01:00:00",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddOrderFlowHost(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WatchdogOptions>>().Value);
        Assert.Contains("Watchdog:StuckAfter:Shipped: 'Shipped' is not an order status", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Also when the failure is a cancellation that is not the host's shutdown: the Azure SDK reports a storage call that
    /// ran past its network timeout as a TaskCanceledException, which used to end the watchdog's loop for good.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteAsync_FirstPassFails_NextTickRunsAgain(bool timedOut)
    {
        var workflows = new FlakyWorkflowClient(timedOut
            ? new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:01:40.")
            : new InvalidOperationException("engine away"));

        // No thresholds: the pass only lists failed workflows, so the store and the case queue are never reached.
        var options = Options.Create(new WatchdogOptions { Interval = TimeSpan.FromMilliseconds(50), StuckAfter = [] });
        using var service = new WatchdogService(
            new WorkflowWatchdog(null!, null!, options, TimeProvider.System, NullLogger<WorkflowWatchdog>.Instance),
            workflows,
            options,
            TimeProvider.System,
            NullLogger<WatchdogService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await workflows.Second.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await service.StopAsync(CancellationToken.None);

        Assert.True(workflows.Calls >= 2);
    }

    /// <summary>Its first instance listing throws <paramref name="first"/> (the engine is away); later ones answer with nothing.</summary>
    private sealed class FlakyWorkflowClient(Exception first) : IWorkflowClient
    {
        private int calls;

        public int Calls => Volatile.Read(ref this.calls);

        public TaskCompletionSource Second { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T?> GetInputAsync<T>(string instanceId, CancellationToken cancellationToken = default) => Task.FromResult(default(T));

        public Task<bool> RestartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<WorkflowInstanceSummary>> ListInstancesAsync(
            string orchestratorName, IReadOnlyCollection<string> runtimeStatuses, int limit, CancellationToken cancellationToken = default)
        {
            Assert.Equal(nameof(OrderOrchestrator), orchestratorName);
            if (Interlocked.Increment(ref this.calls) == 1)
            {
                throw first;
            }

            this.Second.TrySetResult();
            return Task.FromResult<IReadOnlyList<WorkflowInstanceSummary>>([]);
        }

        public Task<bool> StartAsync(string orchestratorName, string instanceId, object input, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task RaiseEventAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<WorkflowStatus?> GetStatusAsync(string instanceId, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<T?> GetEntityStateAsync<T>(string entityName, string key, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<WorkflowStatus?> WaitForCompletionAsync(string instanceId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
