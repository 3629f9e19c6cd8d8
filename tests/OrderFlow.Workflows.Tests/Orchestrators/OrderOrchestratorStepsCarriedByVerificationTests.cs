using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;
using OrderFlow.Workflows.Tests.Replay;
using static OrderFlow.Workflows.Tests.Harness.RevisionRuns;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision 19 (StepsCarriedTogether), the steps after the payment verification: the OrderConfirmed email and the fraud
/// screening are done by the verification instead of a NotifyCustomerActivity and an AssessFraudActivity of their own.
/// The customer's emails, the statuses, the timeline and a fraud hold come out as under revision 18; an email the
/// verification could not send is sent by the workflow's own step, once.
/// </summary>
public sealed class OrderOrchestratorStepsCarriedByVerificationTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision19ShippedOrder_SameEmailsAndTimelineAsRevision18_NoSeparateConfirmationEmailOrFraudStep(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (before, after) = await ShipBothAsync(h, ("19101", OrderWorkflowVersions.SingleParcelInline), ("19102", OrderWorkflowVersions.StepsCarriedTogether));

        Assert.Equal(["OrderConfirmed   ", $"Shipped {{id}}-F1  "], Emails(h, after));
        Assert.Equal(Emails(h, before), Emails(h, after));
        Assert.Equal(Timeline(h, before), Timeline(h, after));
        Assert.Empty(h.Ports.Cases.CasesFor(after.OrderId));

        if (backend == DurableEngineBackend.AzureStorage)
        {
            // Revision 18 asked for two NotifyCustomerActivity calls (OrderConfirmed, Shipped) and an AssessFraudActivity; 19
            // for the Shipped email only.
            var history18 = await HistoryAsync(h, before.OrderId);
            var history19 = await HistoryAsync(h, after.OrderId);
            Assert.Equal(2, Scheduled(history18).Count(n => n == nameof(NotifyCustomerActivity)));
            Assert.Equal(1, Scheduled(history19).Count(n => n == nameof(NotifyCustomerActivity)));
            Assert.Equal(1, Scheduled(history18).Count(n => n == nameof(AssessFraudActivity)));
            Assert.DoesNotContain(nameof(AssessFraudActivity), Scheduled(history19));
            Assert.Contains(HistoryReplayer.Replay(history19), a => a.StartsWith("activity VerifyPaymentActivity ", StringComparison.Ordinal) && a.Contains("\"ThenNotify\":{", StringComparison.Ordinal));
            Assert.DoesNotContain(HistoryReplayer.Replay(history18), a => a.Contains("\"ThenNotify\":", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision19ConfirmationRefusedWithTheVerification_TheWorkflowSendsItOnce_NoCase(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 10));
        var order = TestOrders.Create("19103", ("MUG", 2, 12_00));
        h.Ports.Notifier.FailBeforeSend.FailNext(1); // the order's first email is the carried OrderConfirmed one

        var outcome = await ShipAsync(h, order, OrderWorkflowVersions.StepsCarriedTogether);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal(["OrderConfirmed   ", $"Shipped {{id}}-F1  "], Emails(h, order));
        Assert.Equal(Shipped, h.Ports.Orders.HistoryOf(order.OrderId));
        Assert.Empty(h.Ports.Cases.CasesFor(order.OrderId));

        if (backend == DurableEngineBackend.AzureStorage)
        {
            // The verification carried the email (refused), then the workflow's own step sent it, then the Shipped one.
            var actions = HistoryReplayer.Replay(await HistoryAsync(h, order.OrderId)).Where(a => a.StartsWith("activity ", StringComparison.Ordinal)).ToList();
            var verify = actions.FindIndex(a => a.StartsWith("activity VerifyPaymentActivity ", StringComparison.Ordinal));
            Assert.Contains("\"ThenNotify\":{", actions[verify], StringComparison.Ordinal);
            Assert.StartsWith("activity NotifyCustomerActivity ", actions[verify + 1], StringComparison.Ordinal);
            Assert.Equal(2, actions.Count(a => a.StartsWith("activity NotifyCustomerActivity ", StringComparison.Ordinal)));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision19ScreeningFailsWithTheVerification_TheWorkflowScreensOnItsOwn_AndShips(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 10));
        var order = TestOrders.Create("19106", ("MUG", 2, 12_00));
        h.Ports.RecentOrders.FailReads.FailNext(1); // the order's first read of the recent-orders store is the carried screening's

        var outcome = await ShipAsync(h, order, OrderWorkflowVersions.StepsCarriedTogether);

        Assert.Equal(OrderStatus.Fulfilled, outcome.Status);
        Assert.Equal(Shipped, h.Ports.Orders.HistoryOf(order.OrderId));
        Assert.Equal(["OrderConfirmed   ", $"Shipped {{id}}-F1  "], Emails(h, order));
        Assert.Empty(h.Ports.Cases.CasesFor(order.OrderId));

        if (backend == DurableEngineBackend.AzureStorage)
        {
            var scheduled = Scheduled(await HistoryAsync(h, order.OrderId));
            Assert.Equal(nameof(AssessFraudActivity), scheduled[scheduled.IndexOf(nameof(VerifyPaymentActivity)) + 1]);
            Assert.Equal(1, scheduled.Count(n => n == nameof(AssessFraudActivity)));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision19RiskyPayment_HeldForFraudReviewAsRevision18_ApprovedThenShips(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 10));
        var reviews = new List<string>();
        var orders = new List<Order>();
        foreach (var (number, revision) in new[] { ("19104", OrderWorkflowVersions.SingleParcelInline), ("19105", OrderWorkflowVersions.StepsCarriedTogether) })
        {
            // Each a first order of its own customer: the second would otherwise score lower (not a first order).
            var placed = TestOrders.Create(number, ("MUG", 1, 12_00));
            var order = placed with { Customer = placed.Customer with { Email = $"buyer-{number}@example.test" }, CustomerIp = null };
            orders.Add(order);
            h.Ports.Payments.Script(order.OrderId, PaymentState.RequiresCapture, riskLevel: "highest");
            await h.StartOrderAsync(order, revision: revision);
            var review = await h.CaseOpenedAsync(order.OrderId, ExceptionReason.FraudReview);
            reviews.Add(review.Error);
            Assert.Equal(OrderStatus.OnHold, h.Ports.Orders.StatusOf(order.OrderId));
            await h.DecideAsync(review, CaseResolution.Approve);
            await h.ShipAsync(order.OrderId, $"{order.OrderId}-F1");
            Assert.Equal(OrderStatus.Fulfilled, (await h.OutcomeAsync(order.OrderId)).Status);
        }

        var (before, after) = (orders[0], orders[1]);
        Assert.StartsWith("Fraud score ", reviews[1], StringComparison.Ordinal);
        Assert.Equal(reviews[0], reviews[1]);
        Assert.Equal(["OrderConfirmed   ", "OnHold   ", $"Shipped {{id}}-F1  "], Emails(h, after));
        Assert.Equal(Emails(h, before), Emails(h, after));
        Assert.Equal(h.Ports.Orders.HistoryOf(before.OrderId), h.Ports.Orders.HistoryOf(after.OrderId));
        Assert.Equal(Timeline(h, before), Timeline(h, after));
    }
}
