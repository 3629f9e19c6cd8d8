using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;
using OrderFlow.Engine;
using OrderFlow.Engine.Tests.Workflows;

namespace OrderFlow.Engine.Tests;

/// <summary>
/// The engine on the AzureStorage backend against Azurite (AZURITE_CONNECTION, default local Azurite).
/// These fail with a clear message when Azurite is not reachable.
/// </summary>
public sealed class AzureStorageDurableEngineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ExternalEvent_RaisedByClient_ResumesWaitingOrchestration()
    {
        await using EngineHarness harness = await EngineHarness.StartAzureStorageAsync(EngineHarness.NewTaskHubName(), "event-worker");
        var request = new ApprovalRequest("order-42", 99_00);

        await harness.Client.StartOrchestrationAsync<ApprovalOrchestrator>("approval-az", request);
        WorkflowInstanceStatus waiting = await harness.Client.WaitForStartAsync("approval-az", Timeout);
        await harness.Client.RaiseEventAsync("approval-az", ApprovalOrchestrator.EventName, new ApprovalDecision(false, "cfo"));
        WorkflowInstanceStatus done = await harness.Client.WaitForCompletionAsync("approval-az", Timeout);

        Assert.Equal(request, waiting.ReadCustomStatusAs<ApprovalRequest>());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new ApprovalDecision(false, "cfo"), done.ReadOutputAs<ApprovalDecision>());
    }

    [Fact]
    public async Task WorkerRestart_SameWorkerIdAndHub_ResumesWaitingOrchestration()
    {
        string hub = EngineHarness.NewTaskHubName();
        var request = new ApprovalRequest("order-restart", 5_00);

        await using (EngineHarness before = await EngineHarness.StartAzureStorageAsync(hub, "restart-worker"))
        {
            Assert.True(await before.Client.StartOrchestrationAsync<ApprovalOrchestrator>("survivor", request));
            WorkflowInstanceStatus waiting = await before.Client.WaitForStartAsync("survivor", Timeout);
            Assert.Equal(OrchestrationRuntimeStatus.Running, waiting.RuntimeStatus);
        }

        await using EngineHarness after = await EngineHarness.StartAzureStorageAsync(hub, "restart-worker");
        var clock = Stopwatch.StartNew();
        await after.Client.RaiseEventAsync("survivor", ApprovalOrchestrator.EventName, new ApprovalDecision(true, "after-restart"));

        // Well under the ~30 s partition lease expiry: the same worker id takes its leases back at once.
        WorkflowInstanceStatus done = await after.Client.WaitForCompletionAsync("survivor", TimeSpan.FromSeconds(25));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new ApprovalDecision(true, "after-restart"), done.ReadOutputAs<ApprovalDecision>());
        Assert.Equal(request, done.ReadInputAs<ApprovalRequest>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"completion after restart took {clock.Elapsed}");
    }

    [Fact]
    public async Task StartOrchestration_SameInstanceIdTwice_CreatesOneInstance()
    {
        await using EngineHarness harness = await EngineHarness.StartAzureStorageAsync(EngineHarness.NewTaskHubName(), "dedupe-worker");

        bool first = await harness.Client.StartOrchestrationAsync<GreetingOrchestrator>("once-az", "first");
        bool second = await harness.Client.StartOrchestrationAsync<GreetingOrchestrator>("once-az", "second");
        WorkflowInstanceStatus done = await harness.Client.WaitForCompletionAsync("once-az", Timeout);
        bool afterCompletion = await harness.Client.StartOrchestrationAsync<GreetingOrchestrator>("once-az", "third");

        Assert.True(first);
        Assert.False(second);
        Assert.False(afterCompletion);
        Assert.Equal("Hello, first!", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ReleaseOrphanedLocks_HolderEndedInsideItsCriticalSection_FreesTheEntityForTheNextOrchestration()
    {
        await using EngineHarness harness = await EngineHarness.StartAzureStorageAsync(EngineHarness.NewTaskHubName(), "orphan-worker");
        var key = "orphan-" + Guid.NewGuid().ToString("N")[..8];
        await harness.Client.StartOrchestrationAsync<LockHolderOrchestrator>("holder", key);
        await harness.Client.WaitForStatusAsync("holder", s => s.SerializedCustomStatus?.Contains("locked", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(90));
        await harness.Client.TerminateAsync("holder", "died inside its critical section");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await harness.Client.WaitForCompletionAsync("holder", TimeSpan.FromSeconds(90))).RuntimeStatus);

        // The ended holder still owns the lock: the next critical section over that entity would wait for ever.
        Assert.Equal(1, await harness.Client.ReleaseOrphanedLocksAsync());
        await harness.Client.StartOrchestrationAsync<LockedIncrementOrchestrator>("next", new CounterPair(key, key + "-b"));
        var next = await harness.Client.WaitForCompletionAsync("next", TimeSpan.FromSeconds(90));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, next.RuntimeStatus);
        Assert.Equal(1, next.ReadOutputAs<int>());

        // "next" sends its unlocks as messages of their own as it ends: until the entities take them, "next" is an ended
        // holder too. Once both entities are free, nothing is left to release.
        foreach (var entity in new[] { key, key + "-b" })
        {
            await harness.Client.WaitForEntityUnlockedAsync(new EntityInstanceId(nameof(CounterEntity), entity), TimeSpan.FromSeconds(60));
        }

        Assert.Equal(0, await harness.Client.ReleaseOrphanedLocksAsync());
    }

    [Fact]
    public async Task LockedCriticalSection_ConcurrentOrchestrations_LosesNoUpdate()
    {
        const int count = 20;
        await using EngineHarness harness = await EngineHarness.StartAzureStorageAsync(EngineHarness.NewTaskHubName(), "entity-worker");
        var pair = new CounterPair("az-first", "az-second");

        await Task.WhenAll(Enumerable.Range(0, count)
            .Select(i => harness.Client.StartOrchestrationAsync<LockedIncrementOrchestrator>($"az-inc-{i}", pair)));
        WorkflowInstanceStatus[] done = await Task.WhenAll(Enumerable.Range(0, count)
            .Select(i => harness.Client.WaitForCompletionAsync($"az-inc-{i}", Timeout)));

        Assert.Equal(Enumerable.Range(1, count), done.Select(s => s.ReadOutputAs<int>()).Order());
        Assert.Equal(count, await harness.Client.GetEntityStateAsync<int>(new EntityInstanceId(nameof(CounterEntity), "az-first")));
        Assert.Equal(count, await harness.Client.GetEntityStateAsync<int>(new EntityInstanceId(nameof(CounterEntity), "az-second")));
    }
}
