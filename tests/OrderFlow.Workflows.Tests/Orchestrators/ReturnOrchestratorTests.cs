using Microsoft.DurableTask.Client;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Returns;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>Returns on the real engine after the order's own workflow completed: restock, refund, emails, credit note, cases.</summary>
public sealed class ReturnOrchestratorTests
{
    /// <summary>10 % restocking fee, no shipping refund, 30-day window.</summary>
    private static readonly ReturnRules Rules = new(30, ["GIFT-CARD"], 10, 0, false);

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_OneResellableOneDamagedUnit_RestocksOneRefundsBothOnceAndPostsTheCreditNote(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var order = await ShippedOrderAsync(h, "6001", ("MUG", 2, 25_00));
        var id = order.OrderId;
        var before = await h.InventoryAsync("MUG");

        var returnId = await StartReturnAsync(h, id, new ReturnLine("MUG", 2));
        await ReceiveAsync(h, returnId, "east", UnitCondition.Resellable, UnitCondition.Damaged);
        var outcome = await ReturnOutcomeAsync(h, returnId);

        // Items 2 x 25.00 = 50.00, tax share 5.00 x 50.00 / 50.00 = 5.00, fee 10 % of 50.00 = 5.00.
        var refund = new Money(50_00, "USD");
        Assert.Equal(ReturnStatus.Refunded, outcome.Status);
        var after = await h.InventoryAsync("MUG");
        Assert.Equal(before!.OnHand + 1, after!.OnHand);
        var returned = Assert.Single(h.Ports.StockJournal.Lines("MUG"), l => l.Movement.Reason == StockReasons.Return);
        Assert.Equal(("east", 1, $"return:{returnId}", id), (returned.Movement.Location, returned.Movement.OnHandDelta, returned.Movement.Actor, returned.Movement.OrderId));

        var paid = Assert.Single(h.Ports.Payments.Refunds);
        Assert.Equal((refund, $"{returnId}:refund", $"pi_6001"), (paid.Amount, paid.IdempotencyKey, paid.PaymentReference));
        var note = Assert.Single(h.Ports.Ledger.Refunds);
        Assert.Equal((id, refund, new Money(5_00, "USD"), paid.IdempotencyKey), (note.OrderId, note.Amount, note.Tax, note.Reference));

        var emails = h.Ports.Notifier.SentFor(id);
        var receivedEmail = Assert.Single(emails, n => n.Milestone == Milestone.ReturnReceived);
        Assert.Equal("MUG:2", receivedEmail.Details![CustomerNotification.DetailKeys.Items]);
        var refundedEmail = Assert.Single(emails, n => n.Milestone == Milestone.Refunded);
        Assert.Equal("5000", refundedEmail.Details![CustomerNotification.DetailKeys.Amount]);

        var stored = h.Ports.Returns.Get(returnId)!;
        Assert.Equal(ReturnStatus.Refunded, stored.Status);
        Assert.Equal([UnitCondition.Resellable, UnitCondition.Damaged], stored.Units!.Select(u => u.Condition));
        Assert.Equal(new RefundQuote(refund, new Money(5_00, "USD"), Money.Zero("USD"), new Money(5_00, "USD"), refund), stored.Refund);
        Assert.Equal(
            [ReturnStatus.Requested, ReturnStatus.Authorized, ReturnStatus.Received, ReturnStatus.Refunded],
            h.Ports.Returns.HistoryOf(returnId));
        Assert.Contains(h.Ports.Orders.TimelineOf(id, "return"), t => t.Message.Contains("written off as damaged [1 x MUG]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_RefundRefusedThenRetriedByAPerson_RefundsOnceUnderANewKey(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var order = await ShippedOrderAsync(h, "6002", ("MUG", 1, 30_00));
        var id = order.OrderId;
        h.Ports.Payments.DeclineRefunds();

        var returnId = await StartReturnAsync(h, id, new ReturnLine("MUG", 1));
        await ReceiveAsync(h, returnId, "east", UnitCondition.Resellable);
        var refused = await ReturnCaseAsync(h, returnId, ExceptionReason.RefundFailed);
        var emailsWhileRefused = h.Ports.Notifier.SentFor(id).Count(n => n.Milestone == Milestone.Refunded);
        h.Ports.Payments.AcceptRefunds();
        await DecideAsync(h, refused, CaseResolution.RetryStep);
        var outcome = await ReturnOutcomeAsync(h, returnId);

        Assert.Equal(ReturnStatus.Refunded, outcome.Status);
        Assert.Equal(id, refused.OrderId);
        Assert.Contains("charge_disputed", refused.Error, StringComparison.Ordinal);
        Assert.Equal([CaseResolution.RetryStep, CaseResolution.Cancel], refused.AllowedResolutions);
        Assert.Equal(0, emailsWhileRefused);
        Assert.Equal([$"{returnId}:refund", $"{returnId}:refund-2"], h.Ports.Payments.RefundAttempts.Select(r => r.IdempotencyKey));

        // 30.00 + 3.00 tax - 3.00 fee.
        var paid = Assert.Single(h.Ports.Payments.Refunds);
        Assert.Equal(new Money(30_00, "USD"), paid.Amount);
        Assert.Equal($"{returnId}:refund-2", Assert.Single(h.Ports.Ledger.Refunds).Reference);
        Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Refunded);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_ResellableUnitOfABackorderedSku_FillsTheWaitingOrder(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var returning = await ShippedOrderAsync(h, "6003", ("MUG", 1, 20_00));
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("MUG", "Mug", true, OutOfStockPolicies.Backorder));
        var waiting = TestOrders.Create("6004", ("MUG", 1, 20_00));
        await h.StartOrderAsync(waiting);
        await h.UntilAsync(() => h.Ports.Orders.StatusOf(waiting.OrderId) == OrderStatus.Backordered, "the second order waits for a MUG");

        var returnId = await StartReturnAsync(h, returning.OrderId, new ReturnLine("MUG", 1));
        await ReceiveAsync(h, returnId, "east", UnitCondition.Resellable);
        await h.ShipAsync(waiting.OrderId, $"{waiting.OrderId}-F1");
        var filled = await h.OutcomeAsync(waiting.OrderId);
        var returnOutcome = await ReturnOutcomeAsync(h, returnId);

        Assert.Equal(OrderStatus.Fulfilled, filled.Status);
        Assert.Equal(ReturnStatus.Refunded, returnOutcome.Status);
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((0, 0, 0), (mug!.OnHand, mug.Reserved, mug.Backorders.Count));
        Assert.Single(h.Ports.StockJournal.Lines("MUG"), l => l.Movement.Reason == StockReasons.Return);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_ReceiptDeliveredTwice_IsAppliedOnce(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var order = await ShippedOrderAsync(h, "6005", ("MUG", 1, 10_00));
        var id = order.OrderId;
        var before = await h.InventoryAsync("MUG");

        var returnId = await StartReturnAsync(h, id, new ReturnLine("MUG", 1));
        await ReceiveAsync(h, returnId, "east", UnitCondition.Resellable);
        await ReceiveAsync(h, returnId, "east", UnitCondition.Resellable);
        var outcome = await ReturnOutcomeAsync(h, returnId);

        Assert.Equal(ReturnStatus.Refunded, outcome.Status);
        Assert.Equal(before!.OnHand + 1, (await h.InventoryAsync("MUG"))!.OnHand);
        Assert.Single(h.Ports.StockJournal.Lines("MUG"), l => l.Movement.Reason == StockReasons.Return);
        Assert.Single(h.Ports.Payments.Refunds);
        Assert.Single(h.Ports.Ledger.Refunds);
        Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.ReturnReceived);
        Assert.Single(h.Ports.Returns.HistoryOf(returnId), s => s == ReturnStatus.Received);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task RunAsync_RequestBeyondWhatShipped_IsRefusedWithoutRefund(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var order = await ShippedOrderAsync(h, "6006", ("MUG", 1, 10_00));

        var returnId = await StartReturnAsync(h, order.OrderId, new ReturnLine("MUG", 2));
        var outcome = await ReturnOutcomeAsync(h, returnId);

        Assert.Equal(ReturnStatus.Refused, outcome.Status);
        Assert.Contains("MUG: 2 requested, 1 shipped and not yet returned.", outcome.Summary, StringComparison.Ordinal);
        Assert.Equal(ReturnStatus.Refused, h.Ports.Returns.Get(returnId)!.Status);
        Assert.Empty(h.Ports.Payments.RefundAttempts);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    public async Task RunAsync_NotReceivedByTheDeadlineAndClosedByAPerson_IsCancelledWithoutRestockOrRefund(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var order = await ShippedOrderAsync(h, "6007", ("MUG", 1, 10_00));
        var returnId = ReturnWorkflowInput.ReturnIdFor(order.OrderId, 1);
        var input = new ReturnWorkflowInput(returnId, order.OrderId, [new ReturnLine("MUG", 1)], "lost", false, Rules, TimeSpan.FromMilliseconds(200), TestSettings.Default);

        Assert.True(await h.Client.StartOrchestrationAsync<ReturnOrchestrator>(returnId, input));
        var late = await ReturnCaseAsync(h, returnId, ExceptionReason.ReturnNotReceived);
        await DecideAsync(h, late, CaseResolution.Cancel);
        var outcome = await ReturnOutcomeAsync(h, returnId);

        Assert.Equal(ReturnStatus.Cancelled, outcome.Status);
        Assert.Equal(ReturnStatus.Cancelled, h.Ports.Returns.Get(returnId)!.Status);
        Assert.DoesNotContain(h.Ports.StockJournal.Lines("MUG"), l => l.Movement.Reason == StockReasons.Return);
        Assert.Empty(h.Ports.Payments.RefundAttempts);
        Assert.DoesNotContain(h.Ports.Notifier.SentFor(order.OrderId), n => n.Milestone is Milestone.ReturnReceived or Milestone.Refunded);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision2_RefundsThroughTheChildUnderTheReturnsKey(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var order = await ShippedOrderAsync(h, "9902", ("MUG", 1, 30_00));
        var id = order.OrderId;

        var returnId = await StartReturnAsync(h, id, ReturnWorkflowVersions.Current, new ReturnLine("MUG", 1));
        await ReceiveAsync(h, returnId, "east", UnitCondition.Resellable);
        var outcome = await ReturnOutcomeAsync(h, returnId);
        var child = await h.Client.GetStatusAsync($"{returnId}:refund-1");

        // 30.00 + 3.00 tax - 3.00 restocking fee.
        Assert.Equal(ReturnStatus.Refunded, outcome.Status);
        var refund = Assert.Single(h.Ports.Payments.Refunds);
        Assert.Equal((new Money(30_00, "USD"), $"{returnId}:refund", $"return {returnId}"), (refund.Amount, refund.IdempotencyKey, refund.Reason));
        Assert.Equal(refund.IdempotencyKey, Assert.Single(h.Ports.Ledger.Refunds).Reference);
        Assert.Equal((nameof(RefundOrchestrator), OrchestrationRuntimeStatus.Completed), (child!.Name, child.RuntimeStatus));
        Assert.Equal("re_1", h.Ports.Returns.Get(returnId)!.RefundReference);
        Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Refunded);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision2_RefundRefused_CaseWaitsInTheChild_RetryRefundsOnceUnderTheNextKey(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var order = await ShippedOrderAsync(h, "9903", ("MUG", 1, 30_00));
        var id = order.OrderId;
        h.Ports.Payments.DeclineRefunds();

        var returnId = await StartReturnAsync(h, id, ReturnWorkflowVersions.Current, new ReturnLine("MUG", 1));
        await ReceiveAsync(h, returnId, "east", UnitCondition.Resellable);
        OpenCaseRequest? refused = null;
        await h.UntilAsync(() => (refused = h.Ports.Cases.CasesFor(id).FirstOrDefault(c => c.Reason == ExceptionReason.RefundFailed)) is not null, "a RefundFailed case is open");
        var returnWhileRefused = await h.Client.GetStatusAsync(returnId);
        h.Ports.Payments.AcceptRefunds();
        await h.DecideAsync(refused!, CaseResolution.RetryStep);
        var outcome = await ReturnOutcomeAsync(h, returnId);

        Assert.Equal(($"{returnId}-refund-1-1", "refund", $"{returnId}:refund-1", id), (refused!.CaseId, refused.Step, refused.WorkflowId, refused.OrderId));
        Assert.Equal("refund", returnWhileRefused!.ReadCustomStatusAs<string>());
        Assert.Equal(ReturnStatus.Refunded, outcome.Status);
        Assert.Equal([$"{returnId}:refund", $"{returnId}:refund-2"], h.Ports.Payments.RefundAttempts.Select(r => r.IdempotencyKey));
        Assert.Single(h.Ports.Payments.Refunds);
        Assert.Equal($"{returnId}:refund-2", Assert.Single(h.Ports.Ledger.Refunds).Reference);
    }

    /// <summary>Stocks, places and ships the order through its own workflow, which completes.</summary>
    private static async Task<Order> ShippedOrderAsync(WorkflowHarness h, string externalId, params (string Sku, int Quantity, long UnitPrice)[] lines)
    {
        foreach (var sku in lines.Select(l => l.Sku).Distinct())
        {
            h.Ports.Catalog.Add(sku);
            await h.StockAsync(sku, ("east", lines.Where(l => l.Sku == sku).Sum(l => l.Quantity)));
        }

        var order = TestOrders.Create(externalId, lines);
        await h.StartOrderAsync(order);
        await h.ShipAsync(order.OrderId, $"{order.OrderId}-F1");
        Assert.Equal(OrderStatus.Fulfilled, (await h.OutcomeAsync(order.OrderId)).Status);
        return order;
    }

    private static Task<string> StartReturnAsync(WorkflowHarness h, string orderId, params ReturnLine[] lines) => StartReturnAsync(h, orderId, null, lines);

    /// <summary>Starts the order's first return under <paramref name="version"/> (null: as recorded before versioning, revision 1).</summary>
    private static async Task<string> StartReturnAsync(WorkflowHarness h, string orderId, int? version, params ReturnLine[] lines)
    {
        var returnId = ReturnWorkflowInput.ReturnIdFor(orderId, 1);
        var input = new ReturnWorkflowInput(returnId, orderId, lines, "does not fit", false, Rules, TimeSpan.FromMinutes(10), TestSettings.Default, version);
        Assert.True(await h.Client.StartOrchestrationAsync<ReturnOrchestrator>(returnId, input));
        return returnId;
    }

    private static Task ReceiveAsync(WorkflowHarness h, string returnId, string location, params UnitCondition[] conditions) =>
        h.Client.RaiseEventAsync(returnId, ReturnReceipt.EventName(returnId), new ReturnReceipt(location, [.. conditions.Select(c => new ReturnedUnit("MUG", c))]));

    private static async Task<OpenCaseRequest> ReturnCaseAsync(WorkflowHarness h, string returnId, ExceptionReason reason)
    {
        OpenCaseRequest? opened = null;
        await h.UntilAsync(() => (opened = h.Ports.Cases.Cases.LastOrDefault(c => c.WorkflowId == returnId && c.Reason == reason)) is not null, $"a {reason} case for {returnId}");
        return opened!;
    }

    private static Task DecideAsync(WorkflowHarness h, OpenCaseRequest openCase, CaseResolution resolution) =>
        h.Client.RaiseEventAsync(openCase.WorkflowId!, CaseDecision.EventName(openCase.CaseId), new CaseDecision(openCase.CaseId, resolution, "ops@example.test", "decided in test"));

    private static async Task<ReturnOutcome> ReturnOutcomeAsync(WorkflowHarness h, string returnId)
    {
        var done = await h.Client.WaitForCompletionAsync(returnId, h.WaitTimeout);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.ToString());
        return done.ReadOutputAs<ReturnOutcome>()!;
    }
}
