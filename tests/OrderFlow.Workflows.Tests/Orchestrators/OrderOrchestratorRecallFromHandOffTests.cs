using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;
using static OrderFlow.Workflows.Tests.Harness.RevisionRuns;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision 20 (RecallFromHandOffAttempt): a parcel whose hand-off step failed after the location was handed it (here:
/// the awaiting-confirmation record the step carries could not be written) and whose order a person then cancels on the
/// step's case is recalled from its location and its label voided. Under revision 19 it stayed at the location.
/// </summary>
public sealed class OrderOrchestratorRecallFromHandOffTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision20ShippedOrder_SameRecordsEmailsCapturesAndActivitiesAsRevision19(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (before, after) = await ShipBothAsync(h, ("20101", OrderWorkflowVersions.StepsCarriedTogether), ("20102", OrderWorkflowVersions.RecallFromHandOffAttempt));

        Assert.Equal(Timeline(h, before), Timeline(h, after));
        Assert.Equal(Records(h, before), Records(h, after));
        Assert.Equal(Emails(h, before), Emails(h, after));
        Assert.Equal(Captures(h, before), Captures(h, after));
        Assert.Empty(h.Ports.Canceller.Cancellations);
        if (backend == DurableEngineBackend.AzureStorage)
        {
            Assert.Equal(Scheduled(await HistoryAsync(h, before.OrderId)), Scheduled(await HistoryAsync(h, after.OrderId)));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory, OrderWorkflowVersions.StepsCarriedTogether)]
    [InlineData(DurableEngineBackend.AzureStorage, OrderWorkflowVersions.StepsCarriedTogether)]
    [InlineData(DurableEngineBackend.InMemory, OrderWorkflowVersions.RecallFromHandOffAttempt)]
    [InlineData(DurableEngineBackend.AzureStorage, OrderWorkflowVersions.RecallFromHandOffAttempt)]
    public async Task RunAsync_HandOffStepFailedAfterTheLocationHadIt_PersonCancels_RecalledFromRevision20(DurableEngineBackend backend, int revision)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG");
        await h.StockAsync("MUG", ("east", 10));
        var order = TestOrders.Create($"{revision}201", ("MUG", 2, 12_00));
        var id = order.OrderId;
        var f1 = $"{id}-F1";
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
        h.Ports.Orders.FailAwaitingConfirmationWrite.FailNext(TestSettings.Default.ActivityMaxAttempts); // every attempt of the hand-off's step

        await h.StartOrderAsync(order, revision: revision);
        var failed = await h.CaseOpenedAsync(id, ExceptionReason.UnhandledStepFailure);
        var dispatch = await h.DispatchedAsync(f1);
        await h.DecideAsync(failed, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(nameof(DispatchFulfillmentActivity), failed.Step);
        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Empty(Captures(h, order));
        Assert.Equal(order.Totals.Total, Assert.Single(h.Ports.Payments.Refunds, r => r.OrderId == id).Amount);
        Assert.DoesNotContain(h.Ports.Notifier.SentFor(id), n => n.Milestone == Milestone.Shipped);
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((10, 0), (mug!.OnHand, mug.Reserved));
        if (revision >= OrderWorkflowVersions.RecallFromHandOffAttempt)
        {
            var told = Assert.Single(h.Ports.Canceller.Cancellations, c => c.FulfillmentId == f1);
            Assert.Equal(("east", $"{id}:cancel-{f1}", "order-cancelled"), (told.Location, told.IdempotencyKey, told.Reason));
            Assert.Equal($"{id}:void-label-{f1}", Assert.Single(h.Ports.Carrier.Voids, v => v.TrackingNumber == dispatch.TrackingNumber).IdempotencyKey);
            Assert.Equal("cancelled", Assert.Single(h.Ports.Orders.Get(id).Fulfillments).Status);
        }
        else
        {
            // The gap revision 20 closes: the location still holds a parcel of a cancelled order, its label unvoided.
            Assert.DoesNotContain(h.Ports.Canceller.Cancellations, c => c.FulfillmentId == f1);
            Assert.DoesNotContain(h.Ports.Carrier.Voids, v => v.TrackingNumber == dispatch.TrackingNumber);
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision20TwoParcels_OneHandOffStepFailed_PersonCancels_BothRecalledFromTheirLocations(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 5));
        await h.StockAsync("TEE", ("west", 4));
        var order = TestOrders.Create("20301", ("MUG", 2, 12_00), ("TEE", 1, 20_00));
        var id = order.OrderId;
        string f1 = $"{id}-F1", f2 = $"{id}-F2";
        h.Ports.Payments.Script(id, PaymentState.RequiresCapture);
        h.Ports.Orders.FailAwaitingConfirmationOf = f1;
        h.Ports.Orders.FailAwaitingConfirmationWrite.FailNext(TestSettings.Default.ActivityMaxAttempts); // every attempt of F1's hand-off step

        await h.StartOrderAsync(order, revision: OrderWorkflowVersions.RecallFromHandOffAttempt);
        var failed = await h.CaseOpenedAsync(id, ExceptionReason.UnhandledStepFailure);
        var (east, west) = (await h.DispatchedAsync(f1), await h.DispatchedAsync(f2));
        await h.DecideAsync(failed, CaseResolution.Cancel);
        var outcome = await h.OutcomeAsync(id);

        // The failed hand-off's parcel (in its Fulfillment child) and the one awaiting its confirmation are both recalled.
        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal([(f1, "east", $"{id}:cancel-{f1}"), (f2, "west", $"{id}:cancel-{f2}")], h.Ports.Canceller.Cancellations.Select(c => (c.FulfillmentId, c.Location, c.IdempotencyKey)));
        Assert.Equal([east.TrackingNumber, west.TrackingNumber], h.Ports.Carrier.Voids.Select(v => v.TrackingNumber));
        Assert.Empty(Captures(h, order));
        Assert.Equal(order.Totals.Total, Assert.Single(h.Ports.Payments.Refunds, r => r.OrderId == id).Amount);
        var (mug, tee) = (await h.InventoryAsync("MUG"), await h.InventoryAsync("TEE"));
        Assert.Equal((5, 0, 4, 0), (mug!.OnHand, mug.Reserved, tee!.OnHand, tee.Reserved));
    }
}
