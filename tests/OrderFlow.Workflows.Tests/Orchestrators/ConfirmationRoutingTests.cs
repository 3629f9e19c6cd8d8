using DurableTask.Core;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Host;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// <see cref="FulfillmentConfirmationRouting"/>, the one way the location's answers are raised (fulfillment events,
/// the sandbox warehouse): to the parcel's Fulfillment child while it runs, so the order neither receives nor forwards
/// it; to the order when the child does not run yet or the order has no children (revision 11 and earlier, and from
/// revision 18 an order routed into one parcel). The child-path tests pin revision 17, whose one-parcel orders have a child.
/// </summary>
public sealed class ConfirmationRoutingTests
{
    [Fact]
    public async Task RaiseConfirmation_RunningChild_GoesToTheChildAndTheOrdersHistoryNeverSeesIt()
    {
        await using var h = await WorkflowHarness.StartAsync(DurableEngineBackend.AzureStorage);
        var (order, id) = await h.MugOrderAsync("1301");

        await h.StartOrderAsync(order, revision: OrderWorkflowVersions.ReservationPlannedInOneStep);
        await h.DispatchedAsync($"{id}-F1");
        var target = await new EngineWorkflowClient(h.Client).RaiseConfirmationAsync(id, Shipped($"{id}-F1"));
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal(($"{id}:{id}-F1", OrderStatus.Fulfilled), (target, outcome.Status));
        Assert.Equal("shipped", h.Ports.Orders.Get(id).Fulfillments.Single().Status);
        var eventName = FulfillmentConfirmation.EventName($"{id}-F1");
        Assert.DoesNotContain(eventName, await HistoryAsync(h, id), StringComparison.Ordinal);
        Assert.Contains(eventName, await HistoryAsync(h, $"{id}:{id}-F1"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory, OrderWorkflowVersions.StockSplitAcrossShards)]
    [InlineData(DurableEngineBackend.AzureStorage, OrderWorkflowVersions.StockSplitAcrossShards)]
    [InlineData(DurableEngineBackend.InMemory, OrderWorkflowVersions.SingleParcelInline)]
    [InlineData(DurableEngineBackend.AzureStorage, OrderWorkflowVersions.SingleParcelInline)]
    public async Task RaiseConfirmation_OrderOfRevision11OrOneParcelOfRevision18_GoesToTheOrderWhichShips(DurableEngineBackend backend, int revision)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await h.MugOrderAsync($"1302{revision}");

        await h.StartOrderAsync(order, revision: revision);
        await h.DispatchedAsync($"{id}-F1");
        var target = await new EngineWorkflowClient(h.Client).RaiseConfirmationAsync(id, Shipped($"{id}-F1"));
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal((id, OrderStatus.Fulfilled), (target, outcome.Status));
        Assert.Null(await h.Client.GetStatusAsync($"{id}:{id}-F1"));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RaiseConfirmation_BeforeTheChildExists_GoesToTheOrderWhichForwardsIt(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        var (order, id) = await h.MugOrderAsync("1303");
        h.Ports.Payments.Script(id, PaymentState.Succeeded, riskLevel: "highest");

        // A fraud review holds the order before its parcel exists: the answer goes to the order, which keeps it and
        // forwards it to the child once the review lets the order go on.
        await h.StartOrderAsync(order, revision: OrderWorkflowVersions.ReservationPlannedInOneStep);
        var review = await h.CaseOpenedAsync(id, ExceptionReason.FraudReview);
        var target = await new EngineWorkflowClient(h.Client).RaiseConfirmationAsync(id, Shipped($"{id}-F1"));
        await h.DecideAsync(review, CaseResolution.Approve);
        var outcome = await h.OutcomeAsync(id);

        Assert.Equal((id, OrderStatus.Fulfilled), (target, outcome.Status));
        Assert.Equal("shipped", h.Ports.Orders.Get(id).Fulfillments.Single().Status);
    }

    private static FulfillmentConfirmation Shipped(string fulfillmentId) =>
        new(fulfillmentId, FulfillmentConfirmation.Shipped, DateTimeOffset.UtcNow, null);

    private static async Task<string> HistoryAsync(WorkflowHarness h, string instanceId)
    {
        var client = (IOrchestrationServiceClient)h.Engine.OrchestrationService;
        var state = (await client.GetOrchestrationStateAsync(instanceId, allExecutions: false)).Single();
        return await client.GetOrchestrationHistoryAsync(instanceId, state.OrchestrationInstance.ExecutionId);
    }
}
