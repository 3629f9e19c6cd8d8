using Microsoft.DurableTask.Client;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Reconciliation;
using OrderFlow.Domain.Routing;
using OrderFlow.Engine;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Reconciliation;

/// <summary>
/// The reconciliation run on the real engine over a seeded day of orders: one order per mismatch kind, clean orders
/// (fully shipped, partially shipped, cancelled before capture), an order still in progress and one outside the range.
/// Each order: 2 x A at 10.00 + 1 x B at 30.00, shipping 5.00, tax 5.00, total 60.00 USD.
/// </summary>
public sealed class ReconciliationOrchestratorTests
{
    private static readonly DateOnly Day = new(2025, 3, 1);
    private static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Money Usd(long minor) => new(minor, "USD");

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_SeededDayWithEachMismatchKind_FindsEachOnceFlagsNoCleanOrderAndReRunOpensNoDuplicate(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var expected = await SeedAsync(h);
        var request = new ReconciliationRequest(Day, Day, TestSettings.Default);
        var reportId = ReconciliationRequest.InstanceIdFor(Day, Day);

        var first = await RunAsync(h, reportId, request);

        // Each kind exactly once, on the order seeded for it; nothing for the clean orders.
        var cases = h.Ports.Cases.Cases;
        Assert.Equal(
            expected.Select(e => $"{e.Value}:{e.Key}").Order(StringComparer.Ordinal),
            cases.Select(c => $"{c.OrderId}:{KindOf(c.CaseId)}").Order(StringComparer.Ordinal));
        Assert.All(cases, c =>
        {
            Assert.Equal(ExceptionReason.ReconciliationMismatch, c.Reason);
            Assert.Equal(ReconciliationOrchestrator.Step, c.Step);
            Assert.Equal([CaseResolution.Approve], c.AllowedResolutions);
            Assert.Contains("expected ", c.Error, StringComparison.Ordinal);
            Assert.Contains(", actual ", c.Error, StringComparison.Ordinal);
            Assert.True(c.Deadline - DateTimeOffset.UtcNow > TimeSpan.FromDays(29), "a mismatch case stays decidable for 30 days");
        });
        Assert.DoesNotContain(cases, c => c.OrderId.StartsWith("shop-clean", StringComparison.Ordinal));

        // Both sides' figures on the case: shipped 60.00, nothing collected.
        var notCharged = Assert.Single(cases, c => c.OrderId == expected[MismatchKind.ShippedNotCharged]);
        Assert.StartsWith("ShippedNotCharged (payment): expected 60.00 USD, actual 0.00 USD.", notCharged.Error, StringComparison.Ordinal);

        // 9 settled orders in range (3 clean, 6 mismatched), 1 still in progress skipped, 1 outside the range not listed.
        Assert.Equal(new ReconciliationSummary(reportId, 9, 3, 6, 1, 6), first);
        var report = await h.Ports.Reports.GetAsync(reportId);
        Assert.NotNull(report);
        Assert.Equal((9, 3, 6, 1, false), (report.OrdersChecked, report.Matched, report.Mismatched, report.Skipped, report.Truncated));
        Assert.Equal("still InFulfillment", Assert.Single(report.Skips).Reason);
        Assert.Equal(6, report.Mismatches.Count);
        var matched = Assert.Single(report.Totals, t => t.Category == ReconciliationTotal.Matched);
        Assert.Equal(new ReconciliationTotal(ReconciliationTotal.Matched, "USD", 3, 60_00 + 27_00 + 0, 60_00 + 27_00 + 0), matched);
        Assert.Equal(
            new ReconciliationTotal(nameof(MismatchKind.ChargedNotShipped), "USD", 1, 0, 60_00),
            Assert.Single(report.Totals, t => t.Category == nameof(MismatchKind.ChargedNotShipped)));

        // A re-run of the same day (an operator's on-demand run) finds the same and opens no second case.
        var second = await RunAsync(h, reportId + "-2", request);

        Assert.Equal(first with { ReportId = reportId + "-2" }, second);
        Assert.Equal(cases.Select(c => c.CaseId), h.Ports.Cases.Cases.Select(c => c.CaseId));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_DayWithEachFulfillmentStatus_CountsEverythingFromShippedOnwardAsShipped(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var full = Usd(60_00);

        // Fully captured and booked; the parcel has moved on from "shipped" (a digital fulfillment is "delivered" at once).
        string[] onward = [FulfillmentConfirmation.Shipped, CarrierStatuses.InTransit, CarrierStatuses.OutForDelivery, CarrierStatuses.Delivered, CarrierStatuses.DeliveryException];
        foreach (var status in onward)
        {
            var order = Order(h, $"status-{status}", OrderStatus.Fulfilled, status, ("A", 2), ("B", 1));
            Paid(h, order, full);
            await SaleAsync(h, order, full);
        }

        // Still waiting for the warehouse, yet charged in full: nothing has shipped, so it is a mismatch.
        var waiting = Order(h, "status-awaiting", OrderStatus.Fulfilled, "awaiting-confirmation", ("A", 2), ("B", 1));
        Paid(h, waiting, full);
        await SaleAsync(h, waiting, full);

        var reportId = ReconciliationRequest.InstanceIdFor(Day, Day);
        var summary = await RunAsync(h, reportId, new ReconciliationRequest(Day, Day, TestSettings.Default));

        Assert.Equal((onward.Length + 1, onward.Length, 1, 0), (summary.OrdersChecked, summary.Matched, summary.Mismatched, summary.Skipped));
        Assert.All(h.Ports.Cases.Cases, c => Assert.Equal(waiting.OrderId, c.OrderId));
        Assert.Contains(h.Ports.Cases.Cases, c => KindOf(c.CaseId) == nameof(MismatchKind.ChargedNotShipped));
    }

    private static string KindOf(string caseId) => caseId.Split("-reconcile-")[1].Split('-')[0];

    private static async Task<ReconciliationSummary> RunAsync(WorkflowHarness h, string instanceId, ReconciliationRequest request)
    {
        Assert.True(await h.Client.StartOrchestrationAsync<ReconciliationOrchestrator>(instanceId, request));
        var done = await h.Client.WaitForCompletionAsync(instanceId, h.WaitTimeout);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.ToString());
        return done.ReadOutputAs<ReconciliationSummary>()!;
    }

    /// <summary>Seeds the day; returns the order seeded for each mismatch kind.</summary>
    private static async Task<Dictionary<MismatchKind, string>> SeedAsync(WorkflowHarness h)
    {
        var p = h.Ports;
        var full = Usd(60_00);

        // Clean: shipped in full, captured, booked.
        var clean = Order(h, "clean-full", OrderStatus.Fulfilled, ("A", 2), ("B", 1));
        Paid(h, clean, full);
        await SaleAsync(h, clean, full);

        // Clean: B's fulfillment was cancelled; captured and booked without B (30.00) and its tax share (3.00), as the workflow does.
        var partial = Order(h, "clean-partial", OrderStatus.PartiallyFulfilled, ("A", 2));
        await p.Orders.UpsertFulfillmentAsync(partial.OrderId, new FulfillmentRecord($"{partial.OrderId}-F2", "west", [new FulfillmentLine("B", 1)], "cancelled", null, null, null, null));
        Paid(h, partial, Usd(27_00));
        await SaleAsync(h, partial, Usd(27_00));

        // Clean: cancelled before anything was captured or booked (the provider has no record at all).
        Order(h, "clean-cancelled", OrderStatus.Cancelled);

        var chargedNotShipped = Order(h, "charged-not-shipped", OrderStatus.Cancelled);
        Paid(h, chargedNotShipped, full);

        var shippedNotCharged = Order(h, "shipped-not-charged", OrderStatus.Fulfilled, ("A", 2), ("B", 1));
        Paid(h, shippedNotCharged, Usd(0));
        await SaleAsync(h, shippedNotCharged, full);

        // Refunded and credited, but no goods came back (returns record none yet).
        var refunded = Order(h, "refunded-not-restocked", OrderStatus.Fulfilled, ("A", 2), ("B", 1));
        Paid(h, refunded, full, refunded: Usd(10_00));
        await SaleAsync(h, refunded, full);
        await p.Ledger.PostRefundAsync(new RefundEntry(refunded.OrderId, refunded.OrderNumber, Usd(10_00), Usd(0), "goodwill", $"{refunded.OrderId}:refund-1"));

        var missing = Order(h, "missing-document", OrderStatus.Fulfilled, ("A", 2), ("B", 1));
        Paid(h, missing, full);

        var differs = Order(h, "amount-differs", OrderStatus.Fulfilled, ("A", 2), ("B", 1));
        Paid(h, differs, full);
        await SaleAsync(h, differs, Usd(55_00));

        var currency = Order(h, "currency-differs", OrderStatus.Fulfilled, ("A", 2), ("B", 1));
        p.PaymentLedger.Set(currency.PaymentReference!, new PaymentFacts(new Money(60_00, "EUR"), new Money(0, "EUR")));
        await SaleAsync(h, currency, full);

        // Not reconciled: still shipping (skipped), and finished the day before (outside the range).
        Order(h, "in-progress", OrderStatus.InFulfillment);
        var before = TestOrders.Create("day-before", ("A", 2, 10_00), ("B", 1, 30_00));
        p.Orders.Seed(before, OrderStatus.Fulfilled, Noon.AddDays(-1));

        return new Dictionary<MismatchKind, string>
        {
            [MismatchKind.ChargedNotShipped] = chargedNotShipped.OrderId,
            [MismatchKind.ShippedNotCharged] = shippedNotCharged.OrderId,
            [MismatchKind.RefundedNotRestocked] = refunded.OrderId,
            [MismatchKind.MissingAccountingDocument] = missing.OrderId,
            [MismatchKind.AmountDiffers] = differs.OrderId,
            [MismatchKind.CurrencyDiffers] = currency.OrderId,
        };
    }

    private static Order Order(WorkflowHarness h, string name, OrderStatus status, params (string Sku, int Quantity)[] shipped) =>
        Order(h, name, status, FulfillmentConfirmation.Shipped, shipped);

    private static Order Order(WorkflowHarness h, string name, OrderStatus status, string fulfillmentStatus, params (string Sku, int Quantity)[] shipped)
    {
        var order = TestOrders.Create(name, ("A", 2, 10_00), ("B", 1, 30_00));
        var fulfillments = shipped.Length == 0
            ? []
            : new[] { new FulfillmentRecord($"{order.OrderId}-F1", "east", [.. shipped.Select(s => new FulfillmentLine(s.Sku, s.Quantity))], fulfillmentStatus, "sbx", "T1", null, null) };
        h.Ports.Orders.Seed(order, status, Noon, fulfillments);
        return order;
    }

    private static void Paid(WorkflowHarness h, Order order, Money captured, Money? refunded = null) =>
        h.Ports.PaymentLedger.Set(order.PaymentReference!, new PaymentFacts(captured, refunded ?? Usd(0)));

    private static Task<string> SaleAsync(WorkflowHarness h, Order order, Money total) =>
        h.Ports.Ledger.PostSaleAsync(new SaleEntry(order.OrderId, order.OrderNumber, total, Usd(0), Usd(0), Usd(0), $"{order.OrderId}:accounting"));
}
