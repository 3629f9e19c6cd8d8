using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Host;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Tests.Harness;
using OrderFlow.Workflows.Watchdog;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision <see cref="OrderWorkflowVersions.RefundsAsChild"/> of the order workflow and
/// <see cref="ReturnWorkflowVersions.RefundsAsChild"/> of the return workflow: money goes back through one child workflow,
/// <see cref="RefundOrchestrator"/>, under the parent's idempotency keys, with its RefundFailed case routed to the child.
/// The return's side is in <see cref="ReturnOrchestratorTests"/> (RunAsync_Revision2_...).
/// </summary>
public sealed class RefundOrchestratorTests
{
    [Fact]
    public void KeysAndIds_KeysAreTheParentsAsBefore_ChildIdsNameTheParentRun()
    {
        // The keys the order and return workflows derived inline before revision 10 / return revision 2.
        Assert.Equal(
            ["shop-1:refund-cancel", "shop-1:refund-cancel-2", "return-shop-1-1:refund", "return-shop-1-1:refund-10"],
            [RefundWorkflowInput.KeyFor("shop-1", "refund-cancel", 1), RefundWorkflowInput.KeyFor("shop-1", "refund-cancel", 2),
                RefundWorkflowInput.KeyFor("return-shop-1-1", "refund", 1), RefundWorkflowInput.KeyFor("return-shop-1-1", "refund", 10)]);
        Assert.Equal("shop-1-r2:refund-3", RefundWorkflowInput.InstanceIdFor("shop-1-r2", 3));
        Assert.Equal(
            ["shop-1", "shop-1-r2", "shop-1"],
            [new OrderWorkflowInput("shop-1", "shop", "d", TestSettings.Default, OrderWorkflowVersions.Current).RunId,
                new OrderWorkflowInput("shop-1", "shop", "d", TestSettings.Default, OrderWorkflowVersions.Current, new WorkflowRestart(2, "case", false)).RunId,
                new OrderWorkflowInput("shop-1", "shop", "d", TestSettings.Default, OrderWorkflowVersions.CustomerToldOfHolds, new WorkflowRestart(2, "case", false)).RunId]);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Cancel_PaidOrder_RefundsThroughTheChildUnderTheOrdersKey(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("9901", ("MUG", 2, 12_00));
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        await h.DispatchedAsync($"{id}-F1");
        await h.CancelAsync(id, new CancelOrderRequest("c-9901", null, Restock: true, Refund: true, NotifyCustomer: true, "customer-request", "ops@example.test"));
        var outcome = await h.OutcomeAsync(id);
        var child = await h.Client.GetStatusAsync($"{id}:refund-1");

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        var refund = Assert.Single(h.Ports.Payments.Refunds);
        Assert.Equal((order.Totals.Total, $"{id}:refund-cancel", order.PaymentReference), (refund.Amount, refund.IdempotencyKey, refund.PaymentReference));
        Assert.Single(h.Ports.Payments.RefundAttempts);
        Assert.NotNull(child);
        Assert.Equal((nameof(RefundOrchestrator), OrchestrationRuntimeStatus.Completed), (child.Name, child.RuntimeStatus));
        var refunded = child.ReadOutputAs<RefundOutcome>()!;
        Assert.True(refunded.Succeeded);
        Assert.Equal(refund.IdempotencyKey, refunded.Key);
        var cancelled = Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Cancelled);
        Assert.Equal(order.Totals.Total.MinorUnits.ToString(System.Globalization.CultureInfo.InvariantCulture), cancelled.Details![CustomerNotification.DetailKeys.Amount]);
        Assert.Empty(h.Ports.Cases.CasesFor(id));
        Assert.Equal((5, 0), ((await h.InventoryAsync("MUG"))!.Locations["east"].OnHand, (await h.InventoryAsync("MUG"))!.Locations["east"].Reserved));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Cancel_RefundRefusedThenGivenUp_CaseWaitsInTheChild_OrderCancelledWithoutRefund(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("9904", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.DeclineRefunds();

        await h.StartOrderAsync(order);
        await h.DispatchedAsync($"{id}-F1");
        await h.CancelAsync(id, new CancelOrderRequest("c-9904", null, Restock: true, Refund: true, NotifyCustomer: true, "customer-request", "ops@example.test"));
        OpenCaseRequest? refused = null;
        await h.UntilAsync(() => (refused = h.Ports.Cases.CasesFor(id).FirstOrDefault(c => c.Reason == ExceptionReason.RefundFailed)) is not null, "a RefundFailed case is open");
        var childWhileRefused = await h.Client.WaitForStatusAsync(
            $"{id}:refund-1", s => s.ReadCustomStatusAs<string>()?.StartsWith("on-hold:", StringComparison.Ordinal) == true, h.WaitTimeout);
        var orderWhileRefused = await h.Client.GetStatusAsync(id);
        await h.DecideAsync(refused!, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(($"{id}-refund-1-1", "refund-cancel", $"{id}:refund-1"), (refused!.CaseId, refused.Step, refused.WorkflowId));
        Assert.Contains("charge_disputed", refused.Error, StringComparison.Ordinal);
        Assert.Equal([CaseResolution.RetryStep, CaseResolution.Cancel], refused.AllowedResolutions);
        Assert.Equal(OrchestrationRuntimeStatus.Running, childWhileRefused!.RuntimeStatus);
        Assert.Equal($"on-hold:{refused.CaseId}", childWhileRefused.ReadCustomStatusAs<string>());
        Assert.Equal(OrchestrationRuntimeStatus.Running, orderWhileRefused!.RuntimeStatus);
        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Empty(h.Ports.Payments.Refunds);
        Assert.Equal([$"{id}:refund-cancel"], h.Ports.Payments.RefundAttempts.Select(r => r.IdempotencyKey));
        var cancelled = Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Cancelled);
        Assert.False(cancelled.Details?.ContainsKey(CustomerNotification.DetailKeys.Amount) ?? false);
        Assert.False((await h.Client.GetStatusAsync($"{id}:refund-1"))!.ReadOutputAs<RefundOutcome>()!.Succeeded);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Settle_RefundOfWhatDidNotShipRefused_CancellationMeanwhileIsRecorded_RetryRefundsUnderTheNextKey(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("TEE", "Tee", true, OutOfStockPolicies.Backorder));
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 0));
        var order = TestOrders.Create("9905", ("MUG", 2, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;

        // The mugs ship; the tee waits for stock and its line is cancelled: what was paid for it goes back, refused at first.
        await h.StartOrderAsync(order);
        await h.ShipAsync(id, $"{id}-F1");
        h.Ports.Payments.DeclineRefunds();
        await h.CancelAsync(id, new CancelOrderRequest("c-9905", [new CancelLine("TEE", 1)], true, true, false, "customer-request", "ops@example.test"));
        OpenCaseRequest? refused = null;
        await h.UntilAsync(() => (refused = h.Ports.Cases.CasesFor(id).FirstOrDefault(c => c.Reason == ExceptionReason.RefundFailed)) is not null, "a RefundFailed case is open");

        // While the child waits for a person, a whole-order cancellation reaches the order and is answered.
        await h.CancelAsync(id, new CancelOrderRequest("c-9905-late", null, true, true, false, "customer-request", "ops@example.test"));
        await h.UntilAsync(
            () => h.Ports.Orders.TimelineOf(id, "cancellation").Any(t => t.Message.Contains("c-9905-late", StringComparison.Ordinal)),
            "the late cancellation is recorded while the refund waits");
        h.Ports.Payments.AcceptRefunds();
        await h.DecideAsync(refused!, CaseResolution.RetryStep);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(($"{id}-refund-1-1", "refund-not-shipped", $"{id}:refund-1"), (refused!.CaseId, refused.Step, refused.WorkflowId));
        Assert.Equal(OrderStatus.PartiallyFulfilled, outcome.Status);
        Assert.Equal([$"{id}:refund-not-shipped", $"{id}:refund-not-shipped-2"], h.Ports.Payments.RefundAttempts.Select(r => r.IdempotencyKey));
        var refund = Assert.Single(h.Ports.Payments.Refunds);
        Assert.Equal(new Money(22_00, "USD"), refund.Amount);
        Assert.Contains(
            h.Ports.Orders.TimelineOf(id, "cancellation"),
            t => t.Message.Contains("c-9905-late", StringComparison.Ordinal) && t.Message.Contains("already shipped", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Restart_OrderTerminatedWhileItsRefundWaits_StaleChildIsStopped_NewRunRefundsOnceUnderTheSameKey(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("9906", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.DeclineRefunds();

        // The cancellation's refund is refused; its case waits in the child when the order's run is terminated.
        await h.StartOrderAsync(order);
        await h.DispatchedAsync($"{id}-F1");
        await h.CancelAsync(id, new CancelOrderRequest("c-9906", null, Restock: true, Refund: true, NotifyCustomer: true, "customer-request", "ops@example.test"));
        OpenCaseRequest? stale = null;
        await h.UntilAsync(() => (stale = h.Ports.Cases.CasesFor(id).FirstOrDefault(c => c.Reason == ExceptionReason.RefundFailed)) is not null, "a RefundFailed case is open");
        await h.Client.TerminateAsync(id, "stopped by an operator (test)");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await h.Client.WaitForCompletionAsync(id, h.WaitTimeout)).RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await h.Client.GetStatusAsync($"{id}:refund-1"))!.RuntimeStatus);

        // A person restarts it to cancel: the ended run's child is stopped first; the new run refunds through its own.
        h.Ports.Payments.AcceptRefunds();
        var client = new EngineWorkflowClient(h.Client);
        var restarter = new WorkflowRestarter(h.Ports.Orders, TimeProvider.System, NullLogger<WorkflowRestarter>.Instance);
        var restarted = await restarter.RestartAsync(client, id, WorkflowWatchdog.FailedCaseId(id, "Terminated"), cancel: true);
        Assert.Equal(RestartOutcome.Restarted, restarted.Outcome);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await h.Client.GetStatusAsync($"{id}:refund-1"))!.RuntimeStatus);
        var outcome = await h.OutcomeAsync(id);

        // The stale case's decision reaches nothing that pays.
        await h.DecideAsync(stale!, CaseResolution.RetryStep);
        var watchdog = new WorkflowWatchdog(
            h.Ports.Orders, h.Ports.Cases, Microsoft.Extensions.Options.Options.Create(new WatchdogOptions()), TimeProvider.System, NullLogger<WorkflowWatchdog>.Instance);
        var report = await watchdog.RunOnceAsync(client, DateTimeOffset.UtcNow);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal((nameof(RefundOrchestrator), OrchestrationRuntimeStatus.Completed), ((await h.Client.GetStatusAsync($"{id}-r1:refund-1"))!.Name, (await h.Client.GetStatusAsync($"{id}-r1:refund-1"))!.RuntimeStatus));
        var refund = Assert.Single(h.Ports.Payments.Refunds);
        Assert.Equal((order.Totals.Total, $"{id}:refund-cancel"), (refund.Amount, refund.IdempotencyKey));
        Assert.All(h.Ports.Payments.RefundAttempts, r => Assert.Equal($"{id}:refund-cancel", r.IdempotencyKey));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await h.Client.GetStatusAsync(id))!.RuntimeStatus);
        Assert.Equal(new WatchdogReport(0, 0, 0), report);
        Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Cancelled);
    }
}
