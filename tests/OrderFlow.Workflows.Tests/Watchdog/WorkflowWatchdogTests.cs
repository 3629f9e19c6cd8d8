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
