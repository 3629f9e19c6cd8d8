using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Domain.Orders;
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
    public void AddOrderFlowHost_RegistersTheWatchdogServiceOnce()
    {
        var services = new ServiceCollection();
        services.AddOrderFlowHost(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Engine:Backend"] = "InMemory" }).Build());

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(WatchdogService));
        Assert.Single(services, d => d.ServiceType == typeof(WorkflowWatchdog));
    }

    [Fact]
    public async Task ExecuteAsync_FirstPassFails_NextTickRunsAgain()
    {
        var calls = 0;
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workflows = new Mock<IWorkflowClient>();
        workflows
            .Setup(w => w.ListInstancesAsync(nameof(OrderOrchestrator), It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    throw new InvalidOperationException("engine away");
                }

                second.TrySetResult();
                return Task.FromResult<IReadOnlyList<WorkflowInstanceSummary>>([]);
            });
        var orders = new Mock<IOrderStore>();
        orders
            .Setup(o => o.ListOrdersInStatusAsync(It.IsAny<OrderStatus>(), It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([]);
        var options = Options.Create(new WatchdogOptions { Interval = TimeSpan.FromMilliseconds(50) });
        using var service = new WatchdogService(
            new WorkflowWatchdog(orders.Object, Mock.Of<IExceptionQueue>(), options, TimeProvider.System, NullLogger<WorkflowWatchdog>.Instance),
            workflows.Object,
            options,
            TimeProvider.System,
            NullLogger<WatchdogService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await second.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await service.StopAsync(CancellationToken.None);

        Assert.True(calls >= 2);
    }
}
