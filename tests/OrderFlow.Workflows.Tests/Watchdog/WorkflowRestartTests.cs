using System.Collections.Concurrent;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Api.Cases;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Host;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Tests.Harness;
using OrderFlow.Workflows.Watchdog;

namespace OrderFlow.Workflows.Tests.Watchdog;

/// <summary>
/// Issue 15 on the real engine: an order workflow forced to fail (a step fails for good and the case store is down, so
/// no case can hold it) is found by one watchdog pass as a WorkflowFailed case; an operator's decision on that case,
/// through the same decision path as every case, restarts it: RetryStep completes the order without a second charge,
/// label or email, Cancel cancels it the normal way (holds released, payment voided, the customer told once).
/// </summary>
public sealed class WorkflowRestartTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RetryStep_WorkflowFailedAfterShipping_OneWatchdogPassOpensTheCase_RestartFulfillsWithoutSecondChargeLabelOrEmail(DurableEngineBackend backend)
    {
        var cases = new SwitchableQueue();
        await using var h = await WorkflowHarness.StartAsync(backend, (services, ports) => services.AddSingleton<IExceptionQueue>(cases.Over(ports.Cases)));
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("7401", ("MUG", 2, 20_00));
        h.Ports.Payments.Script(order.OrderId, PaymentState.RequiresCapture);

        // The sale cannot be booked (the ledger books it, then times out, every time) and no case can be opened.
        h.Ports.Ledger.FailAfterPost.FailNext(int.MaxValue);
        cases.Down = true;
        await h.StartOrderAsync(order);
        await h.ShipAsync(order.OrderId, $"{order.OrderId}-F1");
        var failed = await h.Client.WaitForCompletionAsync(order.OrderId, h.WaitTimeout);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Single(h.Ports.Payments.Captures, c => c.OrderId == order.OrderId);
        h.Ports.Ledger.FailAfterPost.FailNext(0);
        cases.Down = false;

        // One watchdog pass finds it.
        var client = new EngineWorkflowClient(h.Client);
        var report = await Watchdog(h).RunOnceAsync(client, DateTimeOffset.UtcNow);
        Assert.Equal(new WatchdogReport(1, 0, 1), report);
        var opened = Assert.Single(h.Ports.Cases.CasesFor(order.OrderId));
        Assert.Equal((WorkflowWatchdog.FailedCaseId(order.OrderId, "Failed"), ExceptionReason.WorkflowFailed, "complete"), (opened.CaseId, opened.Reason, opened.Step));
        Assert.Contains("case store down", opened.Error, StringComparison.Ordinal);

        // The operator restarts it from the failed step, through the decision outbox.
        var decisions = new CaseDecisions(h.Ports.Cases);
        var service = Decisions(h, decisions);
        var outcome = await service.DecideAsync(decisions.Get(opened.CaseId), CaseResolution.RetryStep, "operator:test", null, client, CancellationToken.None);

        Assert.Equal(CaseDecisionOutcome.Resolved, outcome);
        Assert.Equal(CaseStatuses.Resolved, decisions.Get(opened.CaseId).Status);
        var done = await h.OutcomeAsync(order.OrderId);
        Assert.Equal(OrderStatus.Fulfilled, done.Status);
        Assert.Equal(OrderStatus.Fulfilled, h.Ports.Orders.StatusOf(order.OrderId));
        Assert.Single(h.Ports.Payments.Captures, c => c.OrderId == order.OrderId);
        Assert.Single(h.Ports.Carrier.Requests, r => r.OrderId == order.OrderId);
        Assert.Single(h.Ports.Carrier.Labels);
        Assert.Single(h.Ports.Fulfillment.Dispatches, d => d.OrderId == order.OrderId);
        Assert.Single(h.Ports.Notifier.SentFor(order.OrderId), n => n.Milestone == Milestone.Shipped);
        Assert.Single(h.Ports.Notifier.SentFor(order.OrderId), n => n.Milestone == Milestone.OrderConfirmed);
        Assert.Single(h.Ports.Ledger.Posted, p => p.OrderId == order.OrderId);
        Assert.Empty(h.Ports.Orders.RefusedTransitions);
        Assert.Single(h.Ports.Orders.TimelineOf(order.OrderId, "workflow"), t => t.Message.Contains(opened.CaseId, StringComparison.Ordinal));
        var stock = await h.InventoryAsync("MUG");
        Assert.Equal((3, 0), (stock!.Locations["east"].OnHand, stock.Locations["east"].Reserved));

        // Redelivering the decision, or another watchdog pass, does nothing more.
        Assert.Equal(RestartOutcome.AlreadyRestarted, (await Restarter(h).RestartAsync(client, order.OrderId, opened.CaseId, cancel: false)).Outcome);
        Assert.Equal(new WatchdogReport(0, 0, 0), await Watchdog(h).RunOnceAsync(client, DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RetryStep_WorkflowFailedBeforeShipping_SweeperDeliversTheDecision_RunsAgainWithTheSameKeys_OneLabelOneConfirmationEmail(DurableEngineBackend backend)
    {
        var cases = new SwitchableQueue();
        await using var h = await WorkflowHarness.StartAsync(backend, (services, ports) => services.AddSingleton<IExceptionQueue>(cases.Over(ports.Cases)));
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("7402", ("MUG", 1, 20_00));
        h.Ports.Payments.Script(order.OrderId, PaymentState.RequiresCapture);

        // The carrier sells the label but the answer is lost, every time; no case can be opened.
        h.Ports.Carrier.FailAfterSale.FailNext(int.MaxValue);
        cases.Down = true;
        await h.StartOrderAsync(order);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await h.Client.WaitForCompletionAsync(order.OrderId, h.WaitTimeout)).RuntimeStatus);
        Assert.Equal(OrderStatus.InFulfillment, h.Ports.Orders.StatusOf(order.OrderId));
        h.Ports.Carrier.FailAfterSale.FailNext(0);
        cases.Down = false;
        var client = new EngineWorkflowClient(h.Client);
        await Watchdog(h).RunOnceAsync(client, DateTimeOffset.UtcNow);
        var opened = Assert.Single(h.Ports.Cases.CasesFor(order.OrderId));

        // The decision was recorded but its request died before delivering it: the decision sweeper restarts the workflow.
        var decisions = new CaseDecisions(h.Ports.Cases);
        Assert.True(await decisions.TryRecordDecisionAsync(opened.CaseId, CaseResolution.RetryStep, "operator:test", null, CaseStatuses.Decided));
        var service = Decisions(h, decisions);
        Assert.Equal(1, await service.RedeliverAsync(client, DateTimeOffset.UtcNow + CaseDecisionService.RedeliverAfter + TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal(CaseStatuses.Resolved, decisions.Get(opened.CaseId).Status);
        await h.ShipAsync(order.OrderId, $"{order.OrderId}-F1");

        Assert.Equal(OrderStatus.Fulfilled, (await h.OutcomeAsync(order.OrderId)).Status);
        Assert.Single(h.Ports.Carrier.Labels);
        Assert.Single(h.Ports.Payments.Captures, c => c.OrderId == order.OrderId);
        Assert.Single(h.Ports.Notifier.SentFor(order.OrderId), n => n.Milestone == Milestone.OrderConfirmed);
        Assert.Single(h.Ports.Notifier.SentFor(order.OrderId), n => n.Milestone == Milestone.Shipped);
        Assert.Empty(h.Ports.Orders.RefusedTransitions);
        var stock = await h.InventoryAsync("MUG");
        Assert.Equal((4, 0), (stock!.Locations["east"].OnHand, stock.Locations["east"].Reserved));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Cancel_WorkflowFailedBeforeShipping_CancelsTheNormalWay_HoldReleasedPaymentVoidedCustomerToldOnce(DurableEngineBackend backend)
    {
        var cases = new SwitchableQueue();
        await using var h = await WorkflowHarness.StartAsync(backend, (services, ports) => services.AddSingleton<IExceptionQueue>(cases.Over(ports.Cases)));
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("7403", ("MUG", 2, 20_00));
        h.Ports.Payments.Script(order.OrderId, PaymentState.RequiresCapture);
        h.Ports.Carrier.FailAfterSale.FailNext(int.MaxValue);
        cases.Down = true;
        await h.StartOrderAsync(order);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await h.Client.WaitForCompletionAsync(order.OrderId, h.WaitTimeout)).RuntimeStatus);
        Assert.Equal(2, (await h.InventoryAsync("MUG"))!.Locations["east"].Reserved);
        h.Ports.Carrier.FailAfterSale.FailNext(0);
        cases.Down = false;
        var client = new EngineWorkflowClient(h.Client);
        await Watchdog(h).RunOnceAsync(client, DateTimeOffset.UtcNow);
        var opened = Assert.Single(h.Ports.Cases.CasesFor(order.OrderId));

        var decisions = new CaseDecisions(h.Ports.Cases);
        Assert.Equal(CaseDecisionOutcome.Resolved, await Decisions(h, decisions).DecideAsync(
            decisions.Get(opened.CaseId), CaseResolution.Cancel, "operator:test", null, client, CancellationToken.None));

        var done = await h.OutcomeAsync(order.OrderId);
        Assert.Equal(OrderStatus.Cancelled, done.Status);
        Assert.Contains(opened.CaseId, done.Summary, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Cancelled, h.Ports.Orders.StatusOf(order.OrderId));
        var stock = await h.InventoryAsync("MUG");
        Assert.Equal((5, 0), (stock!.Locations["east"].OnHand, stock.Locations["east"].Reserved));
        var voided = Assert.Single(h.Ports.Payments.Refunds, r => r.OrderId == order.OrderId);
        Assert.Equal(order.Totals.Total, voided.Amount);
        Assert.Empty(h.Ports.Payments.Captures);
        Assert.Empty(h.Ports.Fulfillment.Dispatches);
        Assert.Single(h.Ports.Notifier.SentFor(order.OrderId), n => n.Milestone == Milestone.Cancelled);
    }

    [Fact]
    public async Task Decide_RestartRefusedOrAcknowledged_NothingRestarts()
    {
        var cases = new SwitchableQueue();
        await using var h = await WorkflowHarness.StartAsync(DurableEngineBackend.InMemory, (services, ports) => services.AddSingleton<IExceptionQueue>(cases.Over(ports.Cases)));
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var running = TestOrders.Create("7404", ("MUG", 1, 20_00));
        await h.StartOrderAsync(running);
        await h.DispatchedAsync($"{running.OrderId}-F1");
        var client = new EngineWorkflowClient(h.Client);
        var decisions = new CaseDecisions(h.Ports.Cases);
        var service = Decisions(h, decisions);

        // A WorkflowFailed case whose workflow is still running is refused and stays open.
        var stale = new OpenCaseRequest(
            WorkflowWatchdog.FailedCaseId(running.OrderId, "Failed"), running.OrderId, ExceptionReason.WorkflowFailed, "fulfill", "test",
            CasePolicy.AllowedResolutions(ExceptionReason.WorkflowFailed), DateTimeOffset.UtcNow.AddDays(1));
        await h.Ports.Cases.OpenAsync(stale);
        Assert.Equal(CaseDecisionOutcome.RestartRefused, await service.DecideAsync(decisions.Get(stale.CaseId), CaseResolution.RetryStep, "operator:test", null, client, CancellationToken.None));
        Assert.Equal(CaseStatuses.Open, decisions.Get(stale.CaseId).Status);

        // Approve acknowledges: resolved, and the running workflow is untouched.
        Assert.Equal(CaseDecisionOutcome.Resolved, await service.DecideAsync(decisions.Get(stale.CaseId), CaseResolution.Approve, "operator:test", null, client, CancellationToken.None));
        Assert.Equal(CaseStatuses.Resolved, decisions.Get(stale.CaseId).Status);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await h.Client.GetStatusAsync(running.OrderId))!.RuntimeStatus);
        Assert.Null((await client.GetInputAsync<OrderWorkflowInput>(running.OrderId))!.Restart);
    }

    internal static WorkflowWatchdog Watchdog(WorkflowHarness h) =>
        new(h.Ports.Orders, h.Ports.Cases, Microsoft.Extensions.Options.Options.Create(new WatchdogOptions()), TimeProvider.System, NullLogger<WorkflowWatchdog>.Instance);

    internal static WorkflowRestarter Restarter(WorkflowHarness h) => new(h.Ports.Orders, TimeProvider.System, NullLogger<WorkflowRestarter>.Instance, Microsoft.Extensions.Options.Options.Create(h.Ports.Inventory));

    internal static CaseDecisionService Decisions(WorkflowHarness h, CaseDecisions store) =>
        new(store, TimeProvider.System, NullLogger<CaseDecisionService>.Instance, Restarter(h));

    /// <summary>The engine's case store, which can be taken down: every write then fails, as a storage outage would.</summary>
    private sealed class SwitchableQueue : IExceptionQueue
    {
        private IExceptionQueue inner = null!;

        public bool Down { get; set; }

        public IExceptionQueue Over(IExceptionQueue queue)
        {
            this.inner = queue;
            return this;
        }

        public Task OpenAsync(OpenCaseRequest request, CancellationToken cancellationToken = default) => this.Down ? Refuse() : this.inner.OpenAsync(request, cancellationToken);

        public Task AlertAsync(string caseId, CancellationToken cancellationToken = default) => this.Down ? Refuse() : this.inner.AlertAsync(caseId, cancellationToken);

        public Task RemindAsync(string caseId, CancellationToken cancellationToken = default) => this.Down ? Refuse() : this.inner.RemindAsync(caseId, cancellationToken);

        public Task RecordAlertFailureAsync(string caseId, string error, CancellationToken cancellationToken = default) =>
            this.Down ? Refuse() : this.inner.RecordAlertFailureAsync(caseId, error, cancellationToken);

        public Task RecordTimeoutAsync(CaseTimeout timeout, CancellationToken cancellationToken = default) =>
            this.Down ? Refuse() : this.inner.RecordTimeoutAsync(timeout, cancellationToken);

        private static Task Refuse() => throw new InvalidOperationException("case store down (test)");
    }

    /// <summary>Decisions on the cases the test's queue holds, as the table store records them (first decision wins).</summary>
    internal sealed class CaseDecisions(FakeExceptionQueue queue) : ICaseDecisionStore
    {
        private readonly ConcurrentDictionary<string, ExceptionCase> decided = new(StringComparer.Ordinal);

        public ExceptionCase Get(string caseId)
        {
            if (this.decided.TryGetValue(caseId, out var known))
            {
                return known;
            }

            var c = queue.Cases.Single(x => x.CaseId == caseId);
            return new ExceptionCase(c.CaseId, c.OrderId, c.Reason, c.Step, c.Error, c.AllowedResolutions, c.Deadline, CaseStatuses.Open, DateTimeOffset.UtcNow, null, WorkflowId: c.WorkflowId);
        }

        public Task<bool> TryRecordDecisionAsync(
            string caseId, CaseResolution resolution, string decidedBy, string? comment, string status, CancellationToken cancellationToken = default,
            Address? correctedAddress = null)
        {
            var open = this.Get(caseId);
            if (!open.IsOpen)
            {
                return Task.FromResult(false);
            }

            this.decided[caseId] = open with { Status = status, Resolution = resolution, DecidedBy = decidedBy, Comment = comment, DecidedAt = DateTimeOffset.UtcNow };
            return Task.FromResult(true);
        }

        public Task<bool> TryCompleteDecisionAsync(string caseId, string status, CancellationToken cancellationToken = default)
        {
            var c = this.Get(caseId);
            if (!c.IsDecided)
            {
                return Task.FromResult(false);
            }

            this.decided[caseId] = c with { Status = status };
            return Task.FromResult(true);
        }

        public Task<IReadOnlyList<ExceptionCase>> ListDecidedAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ExceptionCase>>([.. this.decided.Values.Where(c => c.IsDecided)]);

        public Task SetStatusAsync(string caseId, string status, CancellationToken cancellationToken = default)
        {
            this.decided[caseId] = this.Get(caseId) with { Status = status };
            return Task.FromResult(true);
        }
    }
}
