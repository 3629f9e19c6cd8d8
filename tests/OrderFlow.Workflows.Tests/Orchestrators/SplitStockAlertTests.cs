using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Engine;
using OrderFlow.Host;
using OrderFlow.Workflows.Inventory;
using OrderFlow.Workflows.Orchestrators;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>
/// Low-stock alerts of a SKU split across shard entities are decided on the SKU's total available over all its
/// entities, by the reaper's pass (<see cref="SplitStockCheckOrchestrator"/>), never on one entity's own counts: units
/// moved to a shard raise no alert, and shards that run low alert once (on the second pass in a row that finds it low).
/// </summary>
public sealed class SplitStockAlertTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task ReaperPasses_SplitSku_AlertOnceWhenTheWholeSkuRunsLowAndNotWhenAShardHoldsTheUnits(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("HOT");
        await h.SplitStockAsync("HOT", 2, ("east", 10));
        var reaper = new ReservationReaper(h.Ports.Catalog, NullLogger<ReservationReaper>.Instance, Microsoft.Extensions.Options.Options.Create(h.Ports.Inventory));

        // 5 in the SKU's own entity, 5 in its shard; a threshold of 6, then an order takes 2 from the SKU's own entity.
        await h.ChangeStockAsync(new StockAdjustment("HOT", new Dictionary<string, int>(), "test", "threshold", SetReorderThreshold: true, ReorderThreshold: 6, Shards: 2));
        var first = TestOrders.Create(OrderOrchestratorSplitStockTests.ExternalIdWithHome(2, 0, 2101), ("HOT", 2, 10_00));
        await h.StartOrderAsync(first);
        await h.DispatchedAsync($"{first.OrderId}-F1");
        await PassAsync(h, reaper, 1);
        await PassAsync(h, reaper, 2);

        Assert.Empty(h.Ports.StockJournal.Alerts);

        // Another order takes 3 from the shard: 5 left of the SKU, below 6. The first pass notes it, the second alerts, once.
        var second = TestOrders.Create(OrderOrchestratorSplitStockTests.ExternalIdWithHome(2, 1, 2201), ("HOT", 3, 10_00));
        await h.StartOrderAsync(second);
        await h.DispatchedAsync($"{second.OrderId}-F1");
        await PassAsync(h, reaper, 3);
        var noted = h.Ports.StockJournal.Alerts.Count;
        await PassAsync(h, reaper, 4);
        await PassAsync(h, reaper, 5);

        Assert.Equal(0, noted);
        var alert = Assert.Single(h.Ports.StockJournal.Alerts);
        Assert.Equal(("HOT", 5, 6), (alert.Sku, alert.Available, alert.Threshold));
        await h.UntilAsync(() => h.Ports.StockJournal.Notified == 1, "purchasing told");
    }

    /// <summary>One reaper pass, to the end of the split SKU's rebalance and low-stock decision.</summary>
    private static async Task PassAsync(WorkflowHarness h, ReservationReaper reaper, int pass)
    {
        var asOf = DateTimeOffset.UtcNow.AddTicks(pass);
        await reaper.RunOnceAsync(new EngineWorkflowClient(h.Client), asOf);
        var done = await h.Client.WaitForCompletionAsync($"stock-check-HOT-{asOf.UtcTicks}", h.WaitTimeout);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
    }
}
