using DurableTask.Core.History;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Tests.Harness;
using OrderFlow.Workflows.Tests.Replay;
using static OrderFlow.Workflows.Tests.Harness.RevisionRuns;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Revision 17 (ReservationPlannedInOneStep): a reservation attempt asks for one PlanReservationActivity instead of
/// GetStockPolicies, an entity read per SKU and PlanAllocation. The same statuses, routing entry and timeline as
/// revision 16; a later attempt keeps the policies of the first.
/// </summary>
public sealed class OrderOrchestratorReservationPlanTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision17TwoLineOrder_SameTimelineAsRevision16_OnePlanningActivity_NoEntityReads(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("MUG", "TEE");
        await h.StockAsync("MUG", ("east", 1), ("west", 10));
        await h.StockAsync("TEE", ("west", 10));
        var before = TestOrders.Create("17101", ("MUG", 2, 12_00), ("TEE", 1, 20_00));
        var after = TestOrders.Create("17102", ("MUG", 2, 12_00), ("TEE", 1, 20_00));

        var outcomeBefore = await ShipAsync(h, before, OrderWorkflowVersions.PaymentConfirmedWithVerification);
        var outcomeAfter = await ShipAsync(h, after, OrderWorkflowVersions.ReservationPlannedInOneStep);

        Assert.Equal((OrderStatus.Fulfilled, "1 of 1 fulfillment(s) shipped."), (outcomeAfter.Status, outcomeAfter.Summary));
        Assert.Equal((outcomeBefore.Status, outcomeBefore.Summary), (outcomeAfter.Status, outcomeAfter.Summary));
        Assert.Equal(h.Ports.Orders.HistoryOf(before.OrderId), h.Ports.Orders.HistoryOf(after.OrderId));
        Assert.Equal(Timeline(h, before), Timeline(h, after));
        Assert.Contains(h.Ports.Orders.Get(after.OrderId).Timeline, t => t.Kind == "routing" && t.Message.StartsWith("Allocated 2 x MUG from west", StringComparison.Ordinal));
        var mug = await h.InventoryAsync("MUG");
        Assert.Equal((6, 0), (mug!.Locations["west"].OnHand, mug.Reserved));

        if (backend == DurableEngineBackend.AzureStorage)
        {
            var history16 = await HistoryAsync(h, before.OrderId);
            var history17 = await HistoryAsync(h, after.OrderId);
            Assert.Equal(
                (1, 1, 0),
                (Scheduled(history16, nameof(GetStockPoliciesActivity)), Scheduled(history16, nameof(PlanAllocationActivity)), Scheduled(history16, nameof(PlanReservationActivity))));
            Assert.Equal(
                (0, 0, 1),
                (Scheduled(history17, nameof(GetStockPoliciesActivity)), Scheduled(history17, nameof(PlanAllocationActivity)), Scheduled(history17, nameof(PlanReservationActivity))));
            Assert.Equal(2, HistoryReplayer.Replay(history16).Count(a => a.StartsWith("entity-call @inventoryentity@", StringComparison.Ordinal) && a.Contains(" Get ", StringComparison.Ordinal)));
            Assert.DoesNotContain(HistoryReplayer.Replay(history17), a => a.StartsWith("entity-call @inventoryentity@", StringComparison.Ordinal) && a.Contains(" Get ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunAsync_Revision17OutOfStockThenRestockedAndRetried_KeepsTheFirstPoliciesAndShipsAsRevision16(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("TEE");
        var before = TestOrders.Create("17103", ("TEE", 3, 20_00));
        var after = TestOrders.Create("17104", ("TEE", 3, 20_00));

        var shortageBefore = await ShortThenRetriedAsync(h, before, OrderWorkflowVersions.PaymentConfirmedWithVerification);
        var shortageAfter = await ShortThenRetriedAsync(h, after, OrderWorkflowVersions.ReservationPlannedInOneStep);

        Assert.Equal(OrderStatus.Fulfilled, h.Ports.Orders.StatusOf(after.OrderId));
        Assert.Contains("SKU TEE: 3 requested, 1 available.", shortageAfter.Error, StringComparison.Ordinal);
        Assert.Equal(shortageBefore.Error, shortageAfter.Error);
        Assert.Equal(h.Ports.Orders.HistoryOf(before.OrderId), h.Ports.Orders.HistoryOf(after.OrderId));
        Assert.Equal(Timeline(h, before), Timeline(h, after));
        if (backend == DurableEngineBackend.AzureStorage)
        {
            // One plan per attempt (the routing entries count them); the first reads the policies, the later ones carry them.
            var plans = HistoryReplayer.Replay(await HistoryAsync(h, after.OrderId)).Where(a => a.StartsWith("activity PlanReservationActivity ", StringComparison.Ordinal)).ToList();
            Assert.Equal(h.Ports.Orders.Get(after.OrderId).Timeline.Count(t => t.Kind == "routing" && t.Message.StartsWith("Allocated", StringComparison.Ordinal)), plans.Count);
            Assert.True(plans.Count >= 2);
            Assert.Contains("\"Policies\":null", plans[0], StringComparison.Ordinal);
            Assert.All(plans.Skip(1), p => Assert.Contains("\"Policies\":[{\"Sku\":\"TEE\",\"Policy\":\"Escalate\"", p, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// One unit of the three on hand: an OutOfStock case. While it is open the SKU's policy becomes Cancel (for the next
    /// orders: this one keeps the policy it read) and stock arrives; a person retries and the order ships.
    /// </summary>
    private static async Task<OpenCaseRequest> ShortThenRetriedAsync(WorkflowHarness h, Order order, int revision)
    {
        var id = order.OrderId;
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("TEE", "Tee", true));
        await h.StockAsync("TEE", ("west", 1));
        await h.StartOrderAsync(order, revision: revision);
        var shortage = await h.CaseOpenedAsync(id, ExceptionReason.OutOfStock);
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("TEE", "Tee", true, OutOfStockPolicies.Cancel));
        await h.StockAsync("TEE", ("west", 5));
        await h.DecideAsync(shortage, CaseResolution.RetryStep);
        await h.ShipAsync(id, $"{id}-F1");
        Assert.Equal(OrderStatus.Fulfilled, (await h.OutcomeAsync(id)).Status);
        return shortage;
    }

    private static int Scheduled(List<HistoryEvent> history, string activity) => history.OfType<TaskScheduledEvent>().Count(e => e.Name == activity);
}
