using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Functions.Triggers;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Watchdog;

namespace OrderFlow.Functions.Tests;

/// <summary>The watchdog's timer on Azure: a stuck order found by the store gets its case through the Functions client.</summary>
public sealed class WatchdogTimerTriggerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task WatchdogTimer_OrderStuckInReserved_OpensAStuckCase()
    {
        var orders = new Mock<IOrderStore>();
        orders
            .Setup(o => o.ListOrdersInStatusAsync(It.IsAny<Domain.Orders.OrderStatus>(), It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([]);
        orders
            .Setup(o => o.ListOrdersInStatusAsync(Domain.Orders.OrderStatus.Reserved, Now.AddHours(-1), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new Workflows.Contracts.OrderInStatus("shopify-1", Domain.Orders.OrderStatus.Reserved, Now.AddHours(-3))]);
        orders
            .Setup(o => o.GetAsync("shopify-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Workflows.Contracts.OrderRecord(null!, Domain.Orders.OrderStatus.Reserved, [], []));
        var cases = new Mock<IExceptionQueue>();
        var client = new Mock<DurableTaskClient>("test");
        client
            .Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery>()))
            .Returns(Pageable.Create((string? _, int? _, CancellationToken _) => Task.FromResult(new Page<OrchestrationMetadata>([], null))));
        var options = Microsoft.Extensions.Options.Options.Create(new WatchdogOptions());
        var trigger = new WatchdogTimerTrigger(
            new WorkflowWatchdog(orders.Object, cases.Object, options, new FixedClock(Now), NullLogger<WorkflowWatchdog>.Instance), new FixedClock(Now));

        await trigger.WatchdogTimer(null!, client.Object, CancellationToken.None);

        cases.Verify(c => c.OpenAsync(
            It.Is<Workflows.Contracts.OpenCaseRequest>(r => r.CaseId == "shopify-1-watchdog-stuck-Reserved" && r.Reason == Domain.Cases.ExceptionReason.Stuck),
            It.IsAny<CancellationToken>()), Times.Once);
        cases.Verify(c => c.AlertAsync("shopify-1-watchdog-stuck-Reserved", It.IsAny<CancellationToken>()), Times.Once);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
