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
    /// <summary>
    /// The units are held at the order's home shard: RetryStep ships the order and commits them there (this worked
    /// before the fix too: the shard answers with the hold the order has), Cancel releases them there.
    /// </summary>
    [Theory]
    [InlineData(DurableEngineBackend.InMemory, CaseResolution.RetryStep)]
    [InlineData(DurableEngineBackend.AzureStorage, CaseResolution.RetryStep)]
    [InlineData(DurableEngineBackend.InMemory, CaseResolution.Cancel)]
    [InlineData(DurableEngineBackend.AzureStorage, CaseResolution.Cancel)]
    public async Task Restart_UnitsHeldAtTheHomeShard_CommitsOrReleasesThemThere(DurableEngineBackend backend, CaseResolution resolution)
    {
        await using var h = await SplitHotAsync(backend, shards: 2, units: 4);
        var order = TestOrders.Create(ExternalIdWithHome(2, 1, resolution == CaseResolution.Cancel ? 1811 : 1801), ("HOT", 1, 30_00));
        await StartAndTerminateAsync(h, order);
        Assert.True((await h.InventoryAsync(StockShards.Key("HOT", 1)))!.Reservations.ContainsKey(order.OrderId));

        await DecideAsync(h, order.OrderId, resolution);

        if (resolution == CaseResolution.Cancel)
        {
            await AssertEndedAsync(h, order.OrderId, OrderStatus.Cancelled, [(2, 0), (2, 0)], heldAt: 1, StockReasons.Release);
            return;
        }

        await ConfirmAfterRestartAsync(h, order.OrderId, dispatchesBefore: 1);
        await AssertEndedAsync(h, order.OrderId, OrderStatus.Fulfilled, [(2, 0), (1, 0)], heldAt: 1, StockReasons.Commit);
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
        await using var h = await SplitHotAsync(backend, shards: 3, units: 6);

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

        await AssertEndedAsync(h, order.OrderId, OrderStatus.Fulfilled, [(2, 0), (2, 0), (1, 0)], heldAt: 2, StockReasons.Commit);
    }

    /// <summary>A harness with HOT split over <paramref name="shards"/> entities holding <paramref name="units"/> units at east, spread evenly.</summary>
    private static async Task<WorkflowHarness> SplitHotAsync(DurableEngineBackend backend, int shards, int units)
    {
        var h = await WorkflowHarness.StartAsync(backend);
        try
        {
            h.Ports.Catalog.Add("HOT");
            await h.SplitStockAsync("HOT", shards, ("east", units));
            Assert.All(await h.ShardsOnceAsync("HOT", shards, s => s.Available == units / shards), s => Assert.Equal(units / shards, s.Available));
            return h;
        }
        catch
        {
            await h.DisposeAsync();
            throw;
        }
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

    /// <summary>
    /// The order ended in <paramref name="status"/>, HOT's entities hold <paramref name="expected"/> (on hand, reserved)
    /// in shard order, the shard that held the order's unit moved it (<paramref name="reason"/>), the order holds
    /// nothing anywhere, no StockCommitMismatch case opened and every entity's ledger sums to its counters.
    /// </summary>
    private static async Task AssertEndedAsync(WorkflowHarness h, string orderId, OrderStatus status, (int OnHand, int Reserved)[] expected, int heldAt, string reason)
    {
        Assert.Equal(status, (await h.OutcomeAsync(orderId)).Status);
        var shards = await h.ShardsAsync("HOT", expected.Length);
        Assert.Equal(expected, shards.Select(s => (s.OnHand, s.Reserved)));
        Assert.Contains(h.Ports.StockJournal.Lines(StockShards.Key("HOT", heldAt)), l => l.Movement.Reason == reason && l.Movement.OrderId == orderId);
        Assert.DoesNotContain(shards, s => s.Reservations.ContainsKey(orderId));
        Assert.DoesNotContain(h.Ports.Cases.CasesFor(orderId), c => c.Reason == ExceptionReason.StockCommitMismatch);
        var keys = StockShards.Keys("HOT", shards.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            AssertLedgerMatches(h, keys[i], shards[i]);
        }
    }
}
