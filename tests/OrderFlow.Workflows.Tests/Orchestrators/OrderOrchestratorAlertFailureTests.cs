using Microsoft.DurableTask.Client;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Nothing fails silently, and nothing that only tells people fails the order: with the alert channels down a case is
/// still written (the failure recorded on it) and awaited, a failed reminder or low-stock email is recorded and the
/// workflow goes on, and a refund that errors out mid-cancellation becomes a RefundFailed case.
/// </summary>
public sealed class OrderOrchestratorAlertFailureTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_ApproverAlertsDownWhenACaseOpens_CaseStoredWithTheFailureAndTheDecisionIsAwaited(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("1501", ("MUG", 1, 12_00), ("GHOST-42", 1, 9_00));
        var id = order.OrderId;
        h.Ports.Cases.AlertsDown = true;

        await h.StartOrderAsync(order);
        var invalid = await h.CaseOpenedAsync(id, ExceptionReason.OrderInvalid);
        var alertError = h.Ports.Cases.AlertErrorOf(invalid.CaseId);
        var waiting = await h.Client.GetStatusAsync(id);
        await h.DecideAsync(invalid, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.NotNull(alertError);
        Assert.StartsWith("Approver alert failed: TransientPortException: SMTP connection refused", alertError, StringComparison.Ordinal);
        Assert.DoesNotContain("@", alertError, StringComparison.Ordinal);
        Assert.Empty(h.Ports.Cases.Alerted);
        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting!.RuntimeStatus);
        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_CustomerEmailAndApproverAlertsBothDown_NotificationCaseStoredAndOrderFulfilled(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("1502", ("MUG", 1, 12_00));
        var id = order.OrderId;

        // One mail server for both: the confirmation email fails every attempt (the payment verification's, from revision
        // 19, and its own step's), and so does the case's alert.
        h.Ports.Notifier.FailAfterSend.FailNext(TestSettings.Default.ActivityMaxAttempts + 1);
        h.Ports.Cases.AlertsDown = true;

        await h.StartOrderAsync(order);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var failed = Assert.Single(h.Ports.Cases.CasesFor(id));
        Assert.Equal(ExceptionReason.NotificationFailed, failed.Reason);
        Assert.StartsWith("Approver alert failed:", h.Ports.Cases.AlertErrorOf(failed.CaseId), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_ReminderEmailFails_FailureRecordedOnTheCaseAndTheWorkflowKeepsWaiting(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("1503", ("MUG", 1, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.Succeeded, riskLevel: "highest");
        h.Ports.Cases.RemindersDown = true;
        var settings = TestSettings.Default with { CaseReminderAfter = TimeSpan.FromSeconds(1), CaseDeadline = TimeSpan.FromMinutes(10) };

        await h.StartOrderAsync(order, settings);
        var review = await h.CaseOpenedAsync(id, ExceptionReason.FraudReview);
        await h.UntilAsync(
            () => h.Ports.Cases.AlertErrorOf(review.CaseId) is not null && h.Ports.Orders.TimelineOf(id, "case").Any(t => t.Message.Contains("reminder could not be sent", StringComparison.Ordinal)),
            $"the failed reminder of {review.CaseId} is recorded");
        var waiting = await h.Client.GetStatusAsync(id);
        var statusAfterReminder = h.Ports.Orders.StatusOf(id);
        await h.DecideAsync(review, CaseResolution.Approve);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.StartsWith("Escalation reminder failed: TransientPortException", h.Ports.Cases.AlertErrorOf(review.CaseId), StringComparison.Ordinal);
        Assert.Empty(h.Ports.Cases.Reminders);
        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting!.RuntimeStatus);
        Assert.Equal(OrderStatus.OnHold, statusAfterReminder);
        Assert.Empty(h.Ports.Cases.Timeouts);
        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_LowStockEmailFails_FailureRecordedOnTheAlertAndOrderFulfilled(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.ChangeStockAsync(new StockAdjustment("MUG", new Dictionary<string, int> { ["east"] = 5 }, "test", "stock count", SetReorderThreshold: true, ReorderThreshold: 4));
        var order = TestOrders.Create("1504", ("MUG", 2, 12_00));
        var id = order.OrderId;
        h.Ports.StockJournal.EmailDown = true;

        await h.StartOrderAsync(order);
        await h.ShipAsync(id, $"{id}-F1");
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        var alert = Assert.Single(h.Ports.StockJournal.Alerts);
        Assert.Equal(0, h.Ports.StockJournal.Notified);
        Assert.StartsWith("Purchasing email failed: TransientPortException", h.Ports.StockJournal.NotifyErrorOf(alert), StringComparison.Ordinal);
        Assert.Equal(h.Ports.StockJournal.NotifyErrorOf(alert), Assert.Single(await h.Ports.StockJournal.ListAsync(10)).NotifyError);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Cancel_RefundErrorsOutAfterRetries_OpensRefundFailedCaseAndRefundsOnRetryStep(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 5));
        var order = TestOrders.Create("1505", ("MUG", 2, 12_00));
        var id = order.OrderId;

        await h.StartOrderAsync(order);
        await h.DispatchedAsync($"{id}-F1");
        h.Ports.Payments.RefundOutage.FailNext(TestSettings.Default.ActivityMaxAttempts);
        await h.CancelAsync(id, new CancelOrderRequest("c-1505", null, Restock: true, Refund: true, NotifyCustomer: true, "customer-request", "ops@example.test"));
        OpenCaseRequest? refundCase = null;
        await h.UntilAsync(() => (refundCase = h.Ports.Cases.CasesFor(id).FirstOrDefault(c => c.Reason == ExceptionReason.RefundFailed)) is not null, "a RefundFailed case is open");
        var waiting = await h.Client.GetStatusAsync(id);
        await h.DecideAsync(refundCase!, CaseResolution.RetryStep);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting!.RuntimeStatus);
        Assert.Equal("refund-cancel", refundCase!.Step);
        Assert.Contains("failed", refundCase.Error, StringComparison.Ordinal);
        Assert.Contains("timed out", refundCase.Error, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal(TestSettings.Default.ActivityMaxAttempts + 1, h.Ports.Payments.RefundAttempts.Count);
        Assert.Equal(order.Totals.Total, Assert.Single(h.Ports.Payments.Refunds).Amount);
    }
}
