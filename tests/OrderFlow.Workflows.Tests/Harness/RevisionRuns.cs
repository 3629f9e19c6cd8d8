using DurableTask.Core;
using DurableTask.Core.History;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Replay;

namespace OrderFlow.Workflows.Tests.Harness;

/// <summary>
/// What the tests of a workflow revision compare against the revision before it: the same order run under each, its
/// timeline with the order id and the ledger's entry numbers left out, and (Azure Storage) the recorded history.
/// </summary>
internal static class RevisionRuns
{
    /// <summary>The statuses of a simple order that shipped.</summary>
    public static readonly OrderStatus[] Shipped =
        [OrderStatus.Received, OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment, OrderStatus.Fulfilled];

    /// <summary>Starts the order (payment authorized) under <paramref name="revision"/>, ships its first parcel and returns the outcome.</summary>
    public static async Task<OrderOutcome> ShipAsync(WorkflowHarness h, Order order, int revision)
    {
        h.Ports.Payments.Script(order.OrderId, PaymentState.RequiresCapture);
        await h.StartOrderAsync(order, revision: revision);
        await h.ShipAsync(order.OrderId, $"{order.OrderId}-F1");
        return await h.OutcomeAsync(order.OrderId);
    }

    /// <summary>
    /// Ships one two-MUG order (<paramref name="numberBefore"/>) under <paramref name="revisionBefore"/> and another under
    /// <paramref name="revisionAfter"/> from one stocked location, and asserts both ended Fulfilled with the same summary.
    /// </summary>
    public static async Task<(Order Before, Order After)> ShipBothAsync(WorkflowHarness h, (string Number, int Revision) before, (string Number, int Revision) after)
    {
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 10));
        var orderBefore = TestOrders.Create(before.Number, ("MUG", 2, 12_00));
        var orderAfter = TestOrders.Create(after.Number, ("MUG", 2, 12_00));

        var outcomeBefore = await ShipAsync(h, orderBefore, before.Revision);
        var outcomeAfter = await ShipAsync(h, orderAfter, after.Revision);

        Assert.Equal((OrderStatus.Fulfilled, "1 of 1 fulfillment(s) shipped."), (outcomeAfter.Status, outcomeAfter.Summary));
        Assert.Equal((outcomeBefore.Status, outcomeBefore.Summary), (outcomeAfter.Status, outcomeAfter.Summary));
        Assert.Equal(Shipped, h.Ports.Orders.HistoryOf(orderAfter.OrderId));
        return (orderBefore, orderAfter);
    }

    /// <summary>The order's timeline, kinds and messages, its id and the ledger's entry numbers left out.</summary>
    public static List<string> Timeline(WorkflowHarness h, Order order) =>
        h.Ports.Orders.Get(order.OrderId).Timeline
            .Select(t => $"{t.Kind}: {t.Message.Replace(order.OrderId, "{id}", StringComparison.Ordinal)}")
            .Select(m => m.StartsWith("accounting: ", StringComparison.Ordinal) ? "accounting: sale posted" : m)
            .ToList();

    /// <summary>The order's fulfillment records, its id and the label's tracking number left out.</summary>
    public static List<string> Records(WorkflowHarness h, Order order) =>
        [.. h.Ports.Orders.Get(order.OrderId).Fulfillments.Select(f =>
            $"{f.FulfillmentId.Replace(order.OrderId, "{id}", StringComparison.Ordinal)} {f.Location} {string.Join(",", f.Lines)} {f.Status} {f.Carrier} {f.TrackingNumber is not null} {f.HoldReason}")];

    /// <summary>The customer's emails of the order: milestone, fulfillment (its order id left out), reference, how many details.</summary>
    public static List<string> Emails(WorkflowHarness h, Order order) =>
        [.. h.Ports.Notifier.SentFor(order.OrderId).Select(n => $"{n.Milestone} {n.FulfillmentId?.Replace(order.OrderId, "{id}", StringComparison.Ordinal)} {n.Reference} {n.Details?.Count}")];

    /// <summary>The order's captures: amount, whether final, idempotency key (its order id left out).</summary>
    public static List<string> Captures(WorkflowHarness h, Order order) =>
        [.. h.Ports.Payments.Captures.Where(c => c.OrderId == order.OrderId).Select(c => $"{c.Amount} {c.FinalCapture} {c.IdempotencyKey.Replace(order.OrderId, "{id}", StringComparison.Ordinal)}")];

    /// <summary>The names of the activities a recorded history scheduled, in order.</summary>
    public static List<string> Scheduled(IEnumerable<HistoryEvent> history) =>
        [.. history.OfType<TaskScheduledEvent>().Select(e => e.Name!)];

    /// <summary>
    /// The activities revision 19 (StepsCarriedTogether) no longer schedules on their own before fulfillment when what
    /// carries them succeeds: the first validation round (carried by RecordOrderActivity), the OrderConfirmed email and the
    /// fraud screening (carried by VerifyPaymentActivity). The sale's posting rides on a one-parcel order's capture
    /// (PostSaleActivity), which the callers add where it applies.
    /// </summary>
    public static readonly string[] CarriedBeforeFulfillment19 =
        [nameof(ValidateOrderActivity), nameof(NotifyCustomerActivity), nameof(AssessFraudActivity)];

    /// <summary><paramref name="scheduled"/> without the first occurrence of each of <paramref name="names"/> (what a later revision carries).</summary>
    public static List<string> Without(IEnumerable<string> scheduled, params string[] names)
    {
        var left = scheduled.ToList();
        foreach (var name in names)
        {
            Assert.True(left.Remove(name), $"{name} was not scheduled");
        }

        return left;
    }

    /// <summary>The recorded history of the instance's latest run (Azure Storage backend).</summary>
    public static async Task<List<HistoryEvent>> HistoryAsync(WorkflowHarness h, string instanceId)
    {
        var client = (IOrchestrationServiceClient)h.Engine.OrchestrationService;
        var state = (await client.GetOrchestrationStateAsync(instanceId, allExecutions: false)).Single();
        return HistoryReplayer.ParseUntyped(await client.GetOrchestrationHistoryAsync(instanceId, state.OrchestrationInstance.ExecutionId));
    }
}
