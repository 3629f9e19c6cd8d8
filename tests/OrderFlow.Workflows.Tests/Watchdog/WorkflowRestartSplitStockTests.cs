using Microsoft.DurableTask.Client;
using OrderFlow.Api.Cases;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Engine;
using OrderFlow.Host;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Tests.Harness;
using OrderFlow.Workflows.Watchdog;
using static OrderFlow.Workflows.Tests.Orchestrators.OrderOrchestratorSplitStockTests;
using static OrderFlow.Workflows.Tests.Watchdog.WorkflowRestartTests;

namespace OrderFlow.Workflows.Tests.Watchdog;

/// <summary>
/// Issue 18: a restart (revision 5) of an order whose units a shard of a split SKU holds (revision 11) must commit or
/// release them at that shard: the order ships or is cancelled, no hold is left behind, no StockCommitMismatch case
/// opens, and every shard's ledger sums to its counters. The ended run is terminated after its reservation (its
/// fulfillment waits at the location), a watchdog pass opens the WorkflowFailed case, and a person's decision on it
/// restarts the workflow through the decision service, as production does.
/// </summary>
public sealed class WorkflowRestartSplitStockTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RetryStep_UnitsHeldAtTheHomeShard_RestartShipsAndCommitsThere(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("HOT");
        Assert.Equal(2, await h.SplitStockAsync("HOT", 2, ("east", 4)));
        var order = TestOrders.Create(ExternalIdWithHome(2, 1, 1801), ("HOT", 1, 30_00));
        await StartAndTerminateAsync(h, order);
        Assert.True((await h.InventoryAsync(StockShards.Key("HOT", 1)))!.Reservations.ContainsKey(order.OrderId));

        await DecideAsync(h, order.OrderId, CaseResolution.RetryStep);
        await ConfirmAfterRestartAsync(h, order.OrderId, dispatchesBefore: 1);

        Assert.Equal(OrderStatus.Fulfilled, (await h.OutcomeAsync(order.OrderId)).Status);
        var shards = await h.ShardsAsync("HOT", 2);
        Assert.Equal([(2, 0), (1, 0)], shards.Select(s => (s.OnHand, s.Reserved)));
        Assert.Contains(h.Ports.StockJournal.Lines(StockShards.Key("HOT", 1)), l => l.Movement.Reason == StockReasons.Commit && l.Movement.OrderId == order.OrderId);
        AssertNothingLeft(h, order.OrderId, "HOT", shards);
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task Cancel_UnitsHeldAtTheHomeShard_RestartReleasesThem(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("HOT");
        Assert.Equal(2, await h.SplitStockAsync("HOT", 2, ("east", 4)));
        var order = TestOrders.Create(ExternalIdWithHome(2, 1, 1811), ("HOT", 1, 30_00));
        await StartAndTerminateAsync(h, order);

        await DecideAsync(h, order.OrderId, CaseResolution.Cancel);

        Assert.Equal(OrderStatus.Cancelled, (await h.OutcomeAsync(order.OrderId)).Status);
        var shards = await h.ShardsAsync("HOT", 2);
        Assert.Equal([(2, 0), (2, 0)], shards.Select(s => (s.OnHand, s.Reserved)));
        Assert.Contains(h.Ports.StockJournal.Lines(StockShards.Key("HOT", 1)), l => l.Movement.Reason == StockReasons.Release && l.Movement.OrderId == order.OrderId);
        AssertNothingLeft(h, order.OrderId, "HOT", shards);
    }

    /// <summary>
    /// The units are held at a fallback shard (the home shard was empty then) and the home shard has units again when
    /// the order restarts: the restarted run keeps the hold it has instead of taking a second one at its home shard.
    /// </summary>
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RetryStep_UnitsHeldAtAFallbackShard_HomeShardRefilled_RestartKeepsTheHoldAndCommitsThere(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("HOT");
        await h.SplitStockAsync("HOT", 3, ("east", 6));
        Assert.Equal([2, 2, 2], (await h.ShardsAsync("HOT", 3)).Select(s => s.Available));

        // Another order empties the home shard, so this one's unit is held at the next shard (2).
        var other = TestOrders.Create(ExternalIdWithHome(3, 1, 1821), ("HOT", 2, 30_00));
        await h.StartOrderAsync(other);
        await h.DispatchedAsync($"{other.OrderId}-F1");
        var order = TestOrders.Create(ExternalIdWithHome(3, 1, int.Parse(other.ExternalId, System.Globalization.CultureInfo.InvariantCulture) + 1), ("HOT", 1, 30_00));
        await StartAndTerminateAsync(h, order);
        Assert.True((await h.InventoryAsync(StockShards.Key("HOT", 2)))!.Reservations.ContainsKey(order.OrderId));

        // The other order is cancelled: its home shard has units again.
        await h.CancelAsync(other.OrderId, new CancelOrderRequest($"c-{other.OrderId}", null, Restock: true, Refund: true, NotifyCustomer: false, "customer-request", "ops@example.test"));
        Assert.Equal(OrderStatus.Cancelled, (await h.OutcomeAsync(other.OrderId)).Status);
        Assert.Equal(2, (await h.InventoryAsync(StockShards.Key("HOT", 1)))!.Available);

        await DecideAsync(h, order.OrderId, CaseResolution.RetryStep);
        await ConfirmAfterRestartAsync(h, order.OrderId, dispatchesBefore: 2);

        Assert.Equal(OrderStatus.Fulfilled, (await h.OutcomeAsync(order.OrderId)).Status);
        var shards = await h.ShardsAsync("HOT", 3);
        Assert.Equal([(2, 0), (2, 0), (1, 0)], shards.Select(s => (s.OnHand, s.Reserved)));
        Assert.Contains(h.Ports.StockJournal.Lines(StockShards.Key("HOT", 2)), l => l.Movement.Reason == StockReasons.Commit && l.Movement.OrderId == order.OrderId);
        AssertNothingLeft(h, order.OrderId, "HOT", shards);
    }

    /// <summary>Starts the order, waits until its units are reserved and handed off, and terminates its workflow.</summary>
    private static async Task StartAndTerminateAsync(WorkflowHarness h, Order order)
    {
        await h.StartOrderAsync(order);
        await h.DispatchedAsync($"{order.OrderId}-F1");
        await h.Client.TerminateAsync(order.OrderId, "stopped by the test");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await h.Client.WaitForCompletionAsync(order.OrderId, h.WaitTimeout)).RuntimeStatus);
    }

    /// <summary>One watchdog pass opens the WorkflowFailed case; a person's decision on it restarts the workflow.</summary>
    private static async Task DecideAsync(WorkflowHarness h, string orderId, CaseResolution resolution)
    {
        var client = new EngineWorkflowClient(h.Client);
        await WorkflowRestartTests.Watchdog(h).RunOnceAsync(client, DateTimeOffset.UtcNow);
        var opened = Assert.Single(h.Ports.Cases.CasesFor(orderId), c => c.Reason == ExceptionReason.WorkflowFailed);
        var decisions = new CaseDecisions(h.Ports.Cases);
        Assert.Equal(CaseDecisionOutcome.Resolved, await Decisions(h, decisions).DecideAsync(
            decisions.Get(opened.CaseId), resolution, "operator:test", null, client, CancellationToken.None));
    }

    /// <summary>Waits until the restarted run handed its fulfillment off again (same key), then confirms it shipped.</summary>
    private static async Task ConfirmAfterRestartAsync(WorkflowHarness h, string orderId, int dispatchesBefore)
    {
        await h.UntilAsync(() => h.Ports.Fulfillment.Calls > dispatchesBefore, "the restarted run hands the fulfillment off again");
        await h.ConfirmShippedAsync(orderId, $"{orderId}-F1");
    }

    private static void AssertNothingLeft(WorkflowHarness h, string orderId, string sku, IReadOnlyList<SkuInventory> shards)
    {
        Assert.DoesNotContain(shards, s => s.Reservations.ContainsKey(orderId));
        Assert.DoesNotContain(h.Ports.Cases.CasesFor(orderId), c => c.Reason == ExceptionReason.StockCommitMismatch);
        var keys = StockShards.Keys(sku, shards.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            AssertLedgerMatches(h, keys[i], shards[i]);
        }
    }
}
