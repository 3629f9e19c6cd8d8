using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Host;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Tests.Harness;
using OrderFlow.Workflows.Watchdog;

namespace OrderFlow.Workflows.Tests.Watchdog;

/// <summary>
/// The watchdog on the real engine: a failed and a terminated order workflow each get exactly one WorkflowFailed case,
/// orders stuck past their status's threshold get one Stuck case, and a second pass opens nothing new.
/// </summary>
public sealed class WorkflowWatchdogTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunOnceAsync_FailedAndTerminatedWorkflows_OneWorkflowFailedCaseEach_SecondPassOpensNone(DurableEngineBackend backend)
    {
        // The engine's case store refuses every write, so the invalid order's OpenCaseActivity exhausts its retries
        // and the orchestration fails; the watchdog writes to the test's case queue.
        await using var h = await WorkflowHarness.StartAsync(backend, (services, _) => services.AddSingleton<IExceptionQueue>(new RefusingQueue()));
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var invalid = TestOrders.Create("7101", ("MUG", 2, 20_00));
        invalid = invalid with { Totals = invalid.Totals with { Discount = new Money(89_00, "USD"), Total = new Money(-40_00, "USD") } };
        var stopped = TestOrders.Create("7102", ("MUG", 1, 20_00));
        var running = TestOrders.Create("7103", ("MUG", 1, 20_00));

        await h.StartOrderAsync(invalid);
        await h.StartOrderAsync(stopped);
        await h.StartOrderAsync(running);
        await h.DispatchedAsync($"{stopped.OrderId}-F1");
        await h.DispatchedAsync($"{running.OrderId}-F1");
        await h.Client.TerminateAsync(stopped.OrderId, "test: operator stopped it");
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Failed, (await h.Client.WaitForCompletionAsync(invalid.OrderId, h.WaitTimeout)).RuntimeStatus);
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Terminated, (await h.Client.WaitForCompletionAsync(stopped.OrderId, h.WaitTimeout)).RuntimeStatus);
        var watchdog = Watchdog(h, new WatchdogOptions());
        var client = new EngineWorkflowClient(h.Client);

        var first = await watchdog.RunOnceAsync(client, DateTimeOffset.UtcNow);
        var second = await watchdog.RunOnceAsync(client, DateTimeOffset.UtcNow);

        Assert.Equal(new WatchdogReport(2, 0, 2), first);
        Assert.Equal(new WatchdogReport(2, 0, 0), second);
        var failedCase = Assert.Single(h.Ports.Cases.CasesFor(invalid.OrderId));
        Assert.Equal(($"{invalid.OrderId}-watchdog-failed-Failed", ExceptionReason.WorkflowFailed), (failedCase.CaseId, failedCase.Reason));
        Assert.Contains("Workflow Failed", failedCase.Error, StringComparison.Ordinal);
        Assert.Contains("case store down", failedCase.Error, StringComparison.Ordinal);
        Assert.Equal([CaseResolution.RetryStep, CaseResolution.Cancel, CaseResolution.Approve], failedCase.AllowedResolutions);
        var terminatedCase = Assert.Single(h.Ports.Cases.CasesFor(stopped.OrderId));
        Assert.Equal(($"{stopped.OrderId}-watchdog-failed-Terminated", ExceptionReason.WorkflowFailed), (terminatedCase.CaseId, terminatedCase.Reason));
        Assert.Contains("Workflow Terminated", terminatedCase.Error, StringComparison.Ordinal);
        Assert.Contains("operator stopped it", terminatedCase.Error, StringComparison.Ordinal);
        Assert.Contains("timeline entries", terminatedCase.Error, StringComparison.Ordinal);
        Assert.Equal("fulfill", terminatedCase.Step);
        Assert.Empty(h.Ports.Cases.CasesFor(running.OrderId));
        Assert.Equal(1, h.Ports.Cases.Alerted.Count(id => id == terminatedCase.CaseId));
        Assert.Single(h.Ports.Orders.TimelineOf(stopped.OrderId, "case"), t => t.Message.Contains(terminatedCase.CaseId, StringComparison.Ordinal));
        Assert.DoesNotContain(h.Ports.Cases.Cases, c => c.Error.Contains(stopped.Customer.Email, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task RunOnceAsync_OrdersPastTheirStatusThreshold_OneStuckCaseEach_WithinThresholdOrExcludedStatusesNone()
    {
        await using var h = await WorkflowHarness.StartAsync(DurableEngineBackend.InMemory);
        var now = DateTimeOffset.UtcNow;
        var stuckReserved = Seed(h, "7201", OrderStatus.Reserved, now.AddHours(-2));
        var freshReserved = Seed(h, "7202", OrderStatus.Reserved, now.AddMinutes(-30));
        var slowShipping = Seed(h, "7203", OrderStatus.InFulfillment, now.AddDays(-2));
        var stuckShipping = Seed(h, "7204", OrderStatus.InFulfillment, now.AddDays(-8));
        var backordered = Seed(h, "7205", OrderStatus.Backordered, now.AddDays(-60));
        var onHold = Seed(h, "7206", OrderStatus.OnHold, now.AddDays(-60));
        var fulfilled = Seed(h, "7207", OrderStatus.Fulfilled, now.AddDays(-60));
        var watchdog = Watchdog(h, new WatchdogOptions());
        var client = new EngineWorkflowClient(h.Client);

        var first = await watchdog.RunOnceAsync(client, now);
        var second = await watchdog.RunOnceAsync(client, now.AddMinutes(15));

        Assert.Equal(new WatchdogReport(0, 2, 2), first);
        Assert.Equal(new WatchdogReport(0, 0, 0), second);
        var reserved = Assert.Single(h.Ports.Cases.CasesFor(stuckReserved));
        Assert.Equal(($"{stuckReserved}-watchdog-stuck-Reserved", ExceptionReason.Stuck), (reserved.CaseId, reserved.Reason));
        Assert.Contains("Watchdog:StuckAfter:Reserved (01:00:00)", reserved.Error, StringComparison.Ordinal);
        Assert.Contains("workflow not found", reserved.Error, StringComparison.Ordinal);
        var shipping = Assert.Single(h.Ports.Cases.CasesFor(stuckShipping));
        Assert.Equal(($"{stuckShipping}-watchdog-stuck-InFulfillment", ExceptionReason.Stuck), (shipping.CaseId, shipping.Reason));
        foreach (var quiet in new[] { freshReserved, slowShipping, backordered, onHold, fulfilled })
        {
            Assert.Empty(h.Ports.Cases.CasesFor(quiet));
        }

        Assert.Equal(2, h.Ports.Cases.Alerted.Count);
    }

    [Fact]
    public async Task RunOnceAsync_StatusTurnedOffOrThresholdRaised_NoStuckCase()
    {
        await using var h = await WorkflowHarness.StartAsync(DurableEngineBackend.InMemory);
        var now = DateTimeOffset.UtcNow;
        var reserved = Seed(h, "7301", OrderStatus.Reserved, now.AddHours(-2));
        var received = Seed(h, "7302", OrderStatus.Received, now.AddHours(-2));
        var options = new WatchdogOptions();
        options.StuckAfter[nameof(OrderStatus.Reserved)] = TimeSpan.Zero;
        options.StuckAfter[nameof(OrderStatus.Received)] = TimeSpan.FromHours(3);

        var report = await Watchdog(h, options).RunOnceAsync(new EngineWorkflowClient(h.Client), now);

        Assert.Equal(new WatchdogReport(0, 0, 0), report);
        Assert.Empty(h.Ports.Cases.CasesFor(reserved));
        Assert.Empty(h.Ports.Cases.CasesFor(received));
    }

    /// <summary>
    /// A workflow the engine accepted but never ran (Pending: its start message not taken, e.g. no worker listens to its
    /// task hub partition) has no order record, so only the engine's list shows it: past StuckAfter:Received it gets the
    /// order's Received Stuck case, once; a younger one, or with Received turned off, none.
    /// </summary>
    [Fact]
    public async Task RunOnceAsync_WorkflowPendingPastTheReceivedThreshold_OneStuckCaseWithoutAnOrderRecord()
    {
        await using var h = await WorkflowHarness.StartAsync(DurableEngineBackend.InMemory);
        var now = DateTimeOffset.UtcNow;
        var late = TestOrders.Create("7401", ("MUG", 1, 10_00)).OrderId;
        var fresh = TestOrders.Create("7402", ("MUG", 1, 10_00)).OrderId;
        var engine = new Moq.Mock<IWorkflowClient>();
        engine.Setup(c => c.ListInstancesAsync(nameof(Workflows.Orchestrators.OrderOrchestrator), Moq.It.IsAny<IReadOnlyCollection<string>>(), Moq.It.IsAny<int>(), Moq.It.IsAny<CancellationToken>()))
            .Returns((string _, IReadOnlyCollection<string> statuses, int _, CancellationToken _) => Task.FromResult<IReadOnlyList<WorkflowInstanceSummary>>(statuses.Contains("Pending")
                ? [new WorkflowInstanceSummary(late, nameof(Workflows.Orchestrators.OrderOrchestrator), "Pending", now.AddMinutes(-90), now.AddMinutes(-90), null, null),
                   new WorkflowInstanceSummary(fresh, nameof(Workflows.Orchestrators.OrderOrchestrator), "Pending", now.AddMinutes(-5), now.AddMinutes(-5), null, null)]
                : []));
        var off = new WatchdogOptions();
        off.StuckAfter[nameof(OrderStatus.Received)] = TimeSpan.Zero;

        var turnedOff = await Watchdog(h, off).RunOnceAsync(engine.Object, now);
        var first = await Watchdog(h, new WatchdogOptions()).RunOnceAsync(engine.Object, now);
        var second = await Watchdog(h, new WatchdogOptions()).RunOnceAsync(engine.Object, now.AddMinutes(15));

        Assert.Equal(new WatchdogReport(0, 0, 0), turnedOff);
        Assert.Equal(new WatchdogReport(0, 1, 1), first);
        var stuck = Assert.Single(h.Ports.Cases.CasesFor(late));
        Assert.Equal(($"{late}-watchdog-stuck-Received", ExceptionReason.Stuck, "start"), (stuck.CaseId, stuck.Reason, stuck.Step));
        Assert.Contains("has not started running", stuck.Error, StringComparison.Ordinal);
        Assert.Contains("order not recorded yet", stuck.Error, StringComparison.Ordinal);
        Assert.Empty(h.Ports.Cases.CasesFor(fresh));
        Assert.Single(h.Ports.Cases.CasesFor(late));
        Assert.Equal(1, h.Ports.Cases.Alerted.Count(id => id == stuck.CaseId));
        Assert.Equal(1, second.StuckOrders);
    }

    private static WorkflowWatchdog Watchdog(WorkflowHarness h, WatchdogOptions options) =>
        new(h.Ports.Orders, h.Ports.Cases, Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<WorkflowWatchdog>.Instance);

    private static string Seed(WorkflowHarness h, string externalId, OrderStatus status, DateTimeOffset updatedAt)
    {
        var order = TestOrders.Create(externalId, ("MUG", 1, 10_00));
        h.Ports.Orders.Seed(order, status, updatedAt);
        return order.OrderId;
    }

    /// <summary>A case store that is down for good: every write fails.</summary>
    private sealed class RefusingQueue : IExceptionQueue
    {
        public Task OpenAsync(OpenCaseRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("case store down (test)");

        public Task AlertAsync(string caseId, CancellationToken cancellationToken = default) => throw new InvalidOperationException("case store down (test)");

        public Task RemindAsync(string caseId, CancellationToken cancellationToken = default) => throw new InvalidOperationException("case store down (test)");

        public Task RecordAlertFailureAsync(string caseId, string error, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("case store down (test)");

        public Task RecordTimeoutAsync(CaseTimeout timeout, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("case store down (test)");
    }
}
