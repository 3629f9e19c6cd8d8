using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;
using OrderFlow.Workflows.Tests.Replay;
using static OrderFlow.Workflows.Tests.Harness.RevisionRuns;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision 19 (StepsCarriedTogether), the OrderConfirmed email: sent by the payment verification instead of a
/// NotifyCustomerActivity of its own. The customer's emails, the statuses and the timeline come out as under revision 18;
/// an email the verification could not send is sent by the workflow's own step, once.
/// </summary>
public sealed class OrderOrchestratorConfirmationWithVerificationTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision19ShippedOrder_SameEmailsAndTimelineAsRevision18_NoSeparateConfirmationEmail(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (before, after) = await ShipBothAsync(h, ("19101", OrderWorkflowVersions.SingleParcelInline), ("19102", OrderWorkflowVersions.StepsCarriedTogether));

        Assert.Equal(["OrderConfirmed   ", $"Shipped {{id}}-F1  "], Emails(h, after));
        Assert.Equal(Emails(h, before), Emails(h, after));
        Assert.Equal(Timeline(h, before), Timeline(h, after));
        Assert.Empty(h.Ports.Cases.CasesFor(after.OrderId));

        if (backend == DurableEngineBackend.AzureStorage)
        {
            // Revision 18 asked for two NotifyCustomerActivity calls (OrderConfirmed, Shipped); 19 for the Shipped one only.
            var history18 = await HistoryAsync(h, before.OrderId);
            var history19 = await HistoryAsync(h, after.OrderId);
            Assert.Equal(2, Scheduled(history18).Count(n => n == nameof(NotifyCustomerActivity)));
            Assert.Equal(1, Scheduled(history19).Count(n => n == nameof(NotifyCustomerActivity)));
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
}
