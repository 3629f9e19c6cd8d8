using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;
using OrderFlow.Workflows.Tests.Replay;
using static OrderFlow.Workflows.Tests.Harness.RevisionRuns;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision 15 (FulfillmentRecordWithStep): the Fulfillment child's awaiting-confirmation record is written by the
/// hand-off's activity and its shipped record by the Shipped email's, instead of two RecordFulfillmentActivity calls.
/// The order's fulfillment records, timeline and emails come out as under revision 14.
/// </summary>
public sealed class OrderOrchestratorFulfillmentRecordWithStepTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision15ShippedOrder_SameRecordsTimelineAndEmailsAsRevision14_ChildAsksForTwoFewerActivities(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (before, after) = await ShipBothAsync(h, ("15101", OrderWorkflowVersions.StatusWithStep), ("15102", OrderWorkflowVersions.FulfillmentRecordWithStep));

        Assert.Equal([$"{after.OrderId}-F1 is awaiting-confirmation.", $"{after.OrderId}-F1 is shipped."], FulfillmentEntries(h, after));
        Assert.Equal(Timeline(h, before), Timeline(h, after));
        Assert.Equal(Records(h, before), Records(h, after));
        Assert.Equal(Emails(h, before), Emails(h, after));
        Assert.All(h.Ports.Notifier.Sent, n => Assert.Null(n.Before));
        Assert.All(h.Ports.Fulfillment.Dispatches, d => Assert.Null(d.Then));

        if (backend == DurableEngineBackend.AzureStorage)
        {
            // The recorded histories: the child asks for two RecordFulfillmentActivity calls under revision 14, none under
            // 15, whose hand-off and Shipped email carry the records; the order itself asks for the same activities.
            var child14 = await HistoryAsync(h, Child(before));
            var child15 = await HistoryAsync(h, Child(after));
            Assert.Equal(2, Scheduled(child14).Count(n => n == nameof(RecordFulfillmentActivity)));
            Assert.DoesNotContain(nameof(RecordFulfillmentActivity), Scheduled(child15));
            Assert.Equal(Scheduled(child14).Count - 2, Scheduled(child15).Count);
            Assert.Equal(Scheduled(await HistoryAsync(h, before.OrderId)), Scheduled(await HistoryAsync(h, after.OrderId)));
            var actions14 = HistoryReplayer.Replay(child14);
            var actions15 = HistoryReplayer.Replay(child15);
            Assert.Contains(actions15, a => a.StartsWith("activity DispatchFulfillmentActivity ", StringComparison.Ordinal) && a.Contains("\"Then\":{", StringComparison.Ordinal));
            Assert.Contains(actions15, a => a.StartsWith("activity NotifyCustomerActivity ", StringComparison.Ordinal) && a.Contains("\"Before\":{", StringComparison.Ordinal));
            Assert.DoesNotContain(actions14, a => a.Contains("\"Then\":", StringComparison.Ordinal) || a.Contains("\"Before\":", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision15CancelledAwaitingConfirmation_ParcelRecalled_SameRecordsAsRevision14(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var orders = new List<Order>();
        foreach (var (number, revision) in new[] { ("15103", OrderWorkflowVersions.StatusWithStep), ("15104", OrderWorkflowVersions.FulfillmentRecordWithStep) })
        {
            var (order, id) = await AwaitingConfirmationAsync(h, number, revision);
            orders.Add(order);
            await h.CancelAsync(id, new CancelOrderRequest($"c-{id}", null, Restock: true, Refund: true, NotifyCustomer: true, "customer-request", "ops@example.test"));
            Assert.Equal(OrderStatus.Cancelled, (await h.OutcomeAsync(id)).Status);
        }

        var (before, after) = (orders[0], orders[1]);

        Assert.Equal([$"{after.OrderId}-F1 is awaiting-confirmation.", $"{after.OrderId}-F1 is cancelled."], FulfillmentEntries(h, after));
        Assert.Equal(FulfillmentEntries(h, before).Select(m => m.Replace(before.OrderId, "{id}", StringComparison.Ordinal)), FulfillmentEntries(h, after).Select(m => m.Replace(after.OrderId, "{id}", StringComparison.Ordinal)));
        Assert.Equal(Records(h, before), Records(h, after));
        Assert.Equal(h.Ports.Orders.HistoryOf(before.OrderId), h.Ports.Orders.HistoryOf(after.OrderId));
        Assert.Equal(Emails(h, before), Emails(h, after));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision15ShippedEmailFailsAfterTheRecord_TheRetryRecordsNothingTwice(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await AwaitingConfirmationAsync(h, "15105", OrderWorkflowVersions.FulfillmentRecordWithStep);
        h.Ports.Notifier.FailAfterSend.FailNext(1); // the next email is the Shipped one: sent, then the call fails
        await h.ConfirmShippedAsync(id, $"{id}-F1");

        await ShippedOnceAsync(h, order);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision15ShippedRecordCannotBeWrittenWithTheEmail_RecordedOnItsOwnThenEmailed(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await AwaitingConfirmationAsync(h, "15106", OrderWorkflowVersions.FulfillmentRecordWithStep);
        h.Ports.Orders.FailFulfillmentWrite.FailNext(TestSettings.Default.ActivityMaxAttempts); // every attempt of the email's activity
        await h.ConfirmShippedAsync(id, $"{id}-F1");

        await ShippedOnceAsync(h, order);

        if (backend == DurableEngineBackend.AzureStorage)
        {
            // Every attempt of the email's activity carried the record (none sent the email), then the record on its own, then the email.
            var history = await HistoryAsync(h, Child(order));
            var scheduled = Scheduled(history);
            Assert.Equal(1, scheduled.Count(n => n == nameof(RecordFulfillmentActivity)));
            Assert.Equal(TestSettings.Default.ActivityMaxAttempts + 1, scheduled.Count(n => n == nameof(NotifyCustomerActivity)));
            var actions = HistoryReplayer.Replay(history).Where(a => a.StartsWith("activity ", StringComparison.Ordinal)).ToList();
            Assert.Equal(
                ["NotifyCustomerActivity carried", "RecordFulfillmentActivity", "NotifyCustomerActivity"],
                actions.Skip(actions.Count - 3).Select(a => a.Split(' ')[1] + (a.Contains("\"Before\":{", StringComparison.Ordinal) ? " carried" : string.Empty)));
        }
    }

    /// <summary>
    /// Starts a two-MUG order (payment authorized) under <paramref name="revision"/> and waits until its parcel is handed
    /// off and recorded as awaiting its location's confirmation.
    /// </summary>
    private static async Task<(Order Order, string Id)> AwaitingConfirmationAsync(WorkflowHarness h, string number, int revision)
    {
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 10));
        var order = TestOrders.Create(number, ("MUG", 2, 12_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
        await h.StartOrderAsync(order, revision: revision);
        await h.UntilAsync(
            () => h.Ports.Orders.StatusOf(id) is not null && h.Ports.Orders.Get(id).Fulfillments.Any(f => f.FulfillmentId == $"{id}-F1" && f.Status == "awaiting-confirmation"),
            $"{id}-F1 is recorded awaiting-confirmation");
        return (order, id);
    }

    /// <summary>
    /// The order completed Fulfilled with its parcel recorded (and on the timeline) once awaiting confirmation and once
    /// shipped, one Shipped email, and no case.
    /// </summary>
    private static async Task ShippedOnceAsync(WorkflowHarness h, Order order)
    {
        var id = order.OrderId;
        Assert.Equal(OrderStatus.Fulfilled, (await h.OutcomeAsync(id)).Status);
        Assert.Equal([$"{id}-F1 is awaiting-confirmation.", $"{id}-F1 is shipped."], FulfillmentEntries(h, order));
        Assert.Equal("shipped", Assert.Single(h.Ports.Orders.Get(id).Fulfillments).Status);
        Assert.Single(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Shipped);
        Assert.Empty(h.Ports.Cases.CasesFor(id));
    }

    private static string Child(Order order) => FulfillmentWorkflowInput.InstanceIdFor(order.OrderId, $"{order.OrderId}-F1");

    private static List<string> FulfillmentEntries(WorkflowHarness h, Order order) =>
        [.. h.Ports.Orders.TimelineOf(order.OrderId, "fulfillment").Select(t => t.Message)];
}
