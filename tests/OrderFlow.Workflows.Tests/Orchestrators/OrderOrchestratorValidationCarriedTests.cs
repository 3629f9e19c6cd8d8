using DurableTask.Core.History;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;
using static OrderFlow.Workflows.Tests.Harness.RevisionRuns;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision 19 (StepsCarriedTogether), the first validation round carried by <see cref="RecordOrderActivity"/>: the
/// order's statuses, timeline, emails and cases come out as under revision 18, which asks for a separate
/// <see cref="ValidateOrderActivity"/>; later rounds, and a first round whose carried run failed, still ask for it.
/// </summary>
public sealed class OrderOrchestratorValidationCarriedTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision19ShippedOrder_SameStatusesTimelineAndEmailsAsRevision18_NoValidateActivity(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (before, after) = await ShipBothAsync(h, ("19211", OrderWorkflowVersions.SingleParcelInline), ("19212", OrderWorkflowVersions.StepsCarriedTogether));

        Assert.Contains($"status: Validated: {OrderValidationRound.ValidNote}", Timeline(h, after));
        AssertSameAsBefore(h, before, after);
        Assert.Empty(h.Ports.Cases.CasesFor(after.OrderId));

        if (backend == DurableEngineBackend.AzureStorage)
        {
            // Revision 18 asks for ValidateOrderActivity once; 19 never: the order's first activity carried the round.
            var history18 = await HistoryAsync(h, before.OrderId);
            var history19 = await HistoryAsync(h, after.OrderId);
            Assert.Equal(1, Scheduled(history18).Count(n => n == nameof(ValidateOrderActivity)));
            Assert.DoesNotContain(nameof(ValidateOrderActivity), Scheduled(history19));
            Assert.Equal(Without(Scheduled(history18), [.. CarriedBeforeFulfillment19, nameof(PostSaleActivity)]), Scheduled(history19));
            Assert.DoesNotContain("\"Validation\":", RecordOutput(history18), StringComparison.Ordinal);
            Assert.Contains("\"Validation\":{", RecordOutput(history19), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision19InvalidOrder_SameCaseThenRetriedAfterTheFix_ShipsAsRevision18(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        await h.StockAsync("LAMP", ("east", 10));
        var runs = new List<(Order Order, OpenCaseRequest Case, List<OrderStatus> Held)>();
        foreach (var (number, revision) in new[] { ("19213", OrderWorkflowVersions.SingleParcelInline), ("19214", OrderWorkflowVersions.StepsCarriedTogether) })
        {
            runs.Add(await InvalidThenFixedAsync(h, number, revision));
        }

        var ((before, caseBefore, heldBefore), (after, caseAfter, heldAfter)) = (runs[0], runs[1]);

        Assert.Equal([OrderStatus.Received, OrderStatus.OnHold], heldAfter);
        Assert.Equal(heldBefore, heldAfter);
        Assert.Equal((ExceptionReason.OrderInvalid, "validate"), (caseAfter.Reason, caseAfter.Step));
        Assert.Contains("[lines[0].sku/", caseAfter.Error, StringComparison.Ordinal);
        Assert.Equal((caseBefore.Reason, caseBefore.Step, caseBefore.Error), (caseAfter.Reason, caseAfter.Step, caseAfter.Error));
        Assert.Equal(caseBefore.AllowedResolutions, caseAfter.AllowedResolutions);
        Assert.Equal(caseBefore.CaseId.Replace(before.OrderId, "{id}", StringComparison.Ordinal), caseAfter.CaseId.Replace(after.OrderId, "{id}", StringComparison.Ordinal));
        Assert.Equal(OrderStatus.Fulfilled, (await h.OutcomeAsync(after.OrderId)).Status);
        AssertSameAsBefore(h, before, after);

        if (backend == DurableEngineBackend.AzureStorage)
        {
            // Revision 18 validated twice as its own step; 19 once (the round after the decision).
            Assert.Equal(2, Scheduled(await HistoryAsync(h, before.OrderId)).Count(n => n == nameof(ValidateOrderActivity)));
            Assert.Equal(1, Scheduled(await HistoryAsync(h, after.OrderId)).Count(n => n == nameof(ValidateOrderActivity)));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision19CarriedRoundFails_ValidatedAsItsOwnStep_ShipsAsRevision18(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 10));
        var before = TestOrders.Create("19215", ("MUG", 2, 12_00));
        var after = TestOrders.Create("19216", ("MUG", 2, 12_00));

        await ShipAsync(h, before, OrderWorkflowVersions.SingleParcelInline);
        h.Ports.Catalog.FailLookup.FailNext(1); // the next lookup is the round the order's first activity carries
        var outcome = await ShipAsync(h, after, OrderWorkflowVersions.StepsCarriedTogether);

        Assert.Equal((OrderStatus.Fulfilled, "1 of 1 fulfillment(s) shipped."), (outcome.Status, outcome.Summary));
        Assert.Equal(Shipped, h.Ports.Orders.HistoryOf(after.OrderId));
        AssertSameAsBefore(h, before, after);
        Assert.Empty(h.Ports.Cases.CasesFor(after.OrderId));

        if (backend == DurableEngineBackend.AzureStorage)
        {
            // The first activity succeeded once, without a result; the round then ran as its own step, as under 18 (the
            // other steps revision 19 carries stay carried).
            var history18 = await HistoryAsync(h, before.OrderId);
            var history19 = await HistoryAsync(h, after.OrderId);
            Assert.Equal(Without(Scheduled(history18), nameof(NotifyCustomerActivity), nameof(AssessFraudActivity), nameof(PostSaleActivity)), Scheduled(history19));
            Assert.Equal(1, Scheduled(history19).Count(n => n == nameof(RecordOrderActivity)));
            Assert.DoesNotContain("\"Validation\":", RecordOutput(history19), StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Starts a LAMP order under <paramref name="revision"/> while LAMP is not sellable; once the OrderInvalid case holds
    /// it, LAMP is made sellable and a person retries; the order ships. Returns the case and the statuses while it was open.
    /// </summary>
    private static async Task<(Order Order, OpenCaseRequest Case, List<OrderStatus> Held)> InvalidThenFixedAsync(WorkflowHarness h, string number, int revision)
    {
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("LAMP", "Product LAMP", Sellable: false));
        var order = TestOrders.Create(number, ("LAMP", 1, 30_00));
        var id = order.OrderId;
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
        await h.StartOrderAsync(order, revision: revision);
        var invalid = await h.CaseOpenedAsync(id, ExceptionReason.OrderInvalid);
        var held = h.Ports.Orders.HistoryOf(id).ToList();
        h.Ports.Catalog.Add("LAMP");
        await h.DecideAsync(invalid, CaseResolution.RetryStep);
        await h.ShipAsync(id, $"{id}-F1");
        await h.OutcomeAsync(id);
        return (order, invalid, held);
    }

    /// <summary>The revision-19 order's statuses, timeline, emails, parcel records and captures are the revision-18 order's.</summary>
    private static void AssertSameAsBefore(WorkflowHarness h, Order before, Order after)
    {
        Assert.Equal(h.Ports.Orders.HistoryOf(before.OrderId), h.Ports.Orders.HistoryOf(after.OrderId));
        Assert.Equal(Timeline(h, before), Timeline(h, after));
        Assert.Equal(Emails(h, before), Emails(h, after));
        Assert.Equal(Records(h, before), Records(h, after));
        Assert.Equal(Captures(h, before), Captures(h, after));
    }

    /// <summary>The recorded output of the order's first activity.</summary>
    private static string RecordOutput(List<HistoryEvent> history)
    {
        var scheduled = history.OfType<TaskScheduledEvent>().Single(e => e.Name == nameof(RecordOrderActivity));
        return history.OfType<TaskCompletedEvent>().Single(e => e.TaskScheduledId == scheduled.EventId).Result;
    }
}
