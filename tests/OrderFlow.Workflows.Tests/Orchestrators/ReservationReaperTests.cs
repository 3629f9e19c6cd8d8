using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrderFlow.Domain.Inventory;
using OrderFlow.Engine;
using OrderFlow.Host;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Inventory;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Orchestrators;

/// <summary>The reaper releases reservations of orders whose workflow stopped, keeps those of running orders, and wakes waiting orders.</summary>
public sealed class ReservationReaperTests
{
    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunOnceAsync_AbandonedHoldReleasedToTheWaitingOrder_LiveHoldKept(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        await h.Ports.Catalog.UpsertAsync(new CatalogItem("MUG", "Mug", true, OutOfStockPolicies.Backorder));
        await h.StockAsync("MUG", ("east", 3));
        var abandoned = TestOrders.Create("5001", ("MUG", 2, 12_00));
        var live = TestOrders.Create("5002", ("MUG", 1, 12_00));
        var waiting = TestOrders.Create("5003", ("MUG", 2, 12_00));

        await h.StartOrderAsync(abandoned);
        await h.DispatchedAsync($"{abandoned.OrderId}-F1");
        await h.StartOrderAsync(live);
        await h.DispatchedAsync($"{live.OrderId}-F1");
        await h.StartOrderAsync(waiting);
        await h.UntilAsync(() => h.Ports.Orders.StatusOf(waiting.OrderId) == Domain.Orders.OrderStatus.Backordered, "third order backordered");

        // The first order's workflow dies without releasing its hold (an operator terminated it).
        await h.Client.TerminateAsync(abandoned.OrderId, "test: abandoned");
        await h.Client.WaitForCompletionAsync(abandoned.OrderId, h.WaitTimeout);
        var reaper = new ReservationReaper(h.Ports.Catalog, NullLogger<ReservationReaper>.Instance);
        var report = await reaper.RunOnceAsync(new EngineWorkflowClient(h.Client), DateTimeOffset.UtcNow.AddDays(1));
        var refilled = await h.DispatchedAsync($"{waiting.OrderId}-F1");
        var mug = await h.InventoryAsync("MUG");

        Assert.Equal(new ReaperReport(1, 2, 1, 1), report);
        Assert.Equal(2, Assert.Single(refilled.Lines).Quantity);
        Assert.False(mug!.Reservations.ContainsKey(abandoned.OrderId));
        Assert.Equal(1, mug.Reservations[live.OrderId].Quantity);
        Assert.Equal(2, mug.Reservations[waiting.OrderId].Quantity);
        Assert.Empty(mug.Backorders);
        var expired = Assert.Single(h.Ports.StockJournal.Lines("MUG"), l => l.Movement.Reason == StockReasons.Expired);
        Assert.Equal((abandoned.OrderId, -2, "reaper"), (expired.Movement.OrderId, expired.Movement.ReservedDelta, expired.Movement.Actor));
    }

    [Theory]
    [InlineData(DurableEngineBackend.InMemory)]
    [InlineData(DurableEngineBackend.AzureStorage)]
    public async Task RunOnceAsync_SplitSku_ReapsTheShardsHoldAndRebalancesTheShards(DurableEngineBackend backend)
    {
        await using var h = await WorkflowHarness.StartAsync(backend);
        h.Ports.Catalog.Add("HOT");
        await h.SplitStockAsync("HOT", 2, ("east", 4));
        var abandoned = TestOrders.Create(OrderOrchestratorSplitStockTests.ExternalIdWithHome(2, 1, 5101), ("HOT", 1, 12_00));
        await h.StartOrderAsync(abandoned);
        await h.DispatchedAsync($"{abandoned.OrderId}-F1");
        await h.Client.TerminateAsync(abandoned.OrderId, "test: abandoned");
        await h.Client.WaitForCompletionAsync(abandoned.OrderId, h.WaitTimeout);
        await h.ReceiveAsync("HOT", "east", 2);

        var asOf = DateTimeOffset.UtcNow.AddDays(1);
        var reaper = new ReservationReaper(h.Ports.Catalog, NullLogger<ReservationReaper>.Instance, Microsoft.Extensions.Options.Options.Create(h.Ports.Inventory));
        var report = await reaper.RunOnceAsync(new EngineWorkflowClient(h.Client), asOf);
        var done = await h.Client.WaitForCompletionAsync($"rebalance-HOT-{asOf.UtcTicks}", h.WaitTimeout);
        await h.UntilAsync(() => h.Ports.StockJournal.Lines(StockShards.Key("HOT", 1)).Any(l => l.Movement.Reason == StockReasons.Expired), "the shard's hold reaped");

        // The hold in shard 1 was reaped there; the 6 units are then spread 3/3 over the SKU's entity and its shard.
        Assert.Equal((1, 1), (report.Expired, report.Released));
        Assert.Single(h.Ports.StockJournal.Lines(StockShards.Key("HOT", 1)), l => l.Movement.Reason == StockReasons.Expired && l.Movement.OrderId == abandoned.OrderId);
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        // Read until the entities show it (on Azure Storage the state read back can trail the operations that changed it).
        var shards = await h.ShardsOnceAsync("HOT", 2, s => s.Available == 3 && s.Reserved == 0);
        Assert.Equal((3, 3, 0), (shards[0].Available, shards[1].Available, shards[1].Reserved));
    }

    [Fact]
    public async Task RunOnceAsync_LocksLeftByEndedWorkflows_AreReleasedFirstAndCounted()
    {
        var workflows = new Mock<IWorkflowClient>();
        workflows.Setup(w => w.ReleaseOrphanedLocksAsync(It.IsAny<CancellationToken>())).ReturnsAsync(2);
        var reaper = new ReservationReaper(new FakeCatalog(), NullLogger<ReservationReaper>.Instance);

        var report = await reaper.RunOnceAsync(workflows.Object, DateTimeOffset.UtcNow);

        Assert.Equal(2, report.OrphanedLocksReleased);
        workflows.Verify(w => w.ReleaseOrphanedLocksAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RunOnceAsync_EntityWedgedInTwoPassesInARow_ReleasesTheHoldersLockOnce()
    {
        var catalog = new FakeCatalog();
        catalog.Add("MUG");
        var workflows = new Mock<IWorkflowClient>();
        workflows.Setup(w => w.FindWedgedLockHolderAsync("InventoryEntity", "MUG", It.IsAny<CancellationToken>())).ReturnsAsync("shop-7001");
        var reaper = new ReservationReaper(catalog, NullLogger<ReservationReaper>.Instance);

        var first = await reaper.RunOnceAsync(workflows.Object, DateTimeOffset.UtcNow);
        workflows.Verify(w => w.ReleaseLockAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        var second = await reaper.RunOnceAsync(workflows.Object, DateTimeOffset.UtcNow);

        // Seen once could be a moment between batches; seen twice with the same holder, it is stuck.
        Assert.Equal((0, 1), (first.WedgedLocksReleased, second.WedgedLocksReleased));
        workflows.Verify(w => w.ReleaseLockAsync("InventoryEntity", "MUG", "shop-7001", It.IsAny<CancellationToken>()), Times.Once);
    }
}
