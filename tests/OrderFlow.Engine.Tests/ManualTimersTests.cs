using Microsoft.DurableTask.Client;
using OrderFlow.Engine.Tests.Workflows;

namespace OrderFlow.Engine.Tests;

/// <summary>
/// The fake clock for durable timers: a long timer is held until the test fires it, so a timeout branch is taken when
/// the test says and an event delivered meanwhile always wins; a short timer runs on real time.
/// </summary>
public sealed class ManualTimersTests
{
    [Fact]
    public async Task LongTimer_IsHeldUntilFired_ThenTheTimeoutBranchRuns()
    {
        var timers = new ManualTimers(TimeSpan.FromMinutes(1));
        await using var harness = await StartAsync(timers);

        await harness.Client.StartOrchestrationAsync<DeadlineOrchestrator>("deadline-1", 3600);
        await timers.WhenHeldAsync("deadline-1", 1).WaitAsync(TimeSpan.FromSeconds(30)); // the one-hour deadline is held
        var waiting = await harness.Client.GetStatusAsync("deadline-1");
        Assert.True(await timers.FireNextAsync("deadline-1"));
        var done = await harness.Client.WaitForCompletionAsync("deadline-1", TimeSpan.FromSeconds(30));

        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting!.RuntimeStatus);
        Assert.Equal("deadline", done.ReadOutputAs<string>());
        Assert.Empty(timers.Pending("deadline-1"));
        Assert.False(await timers.FireNextAsync("deadline-1"));
    }

    [Fact]
    public async Task LongTimer_EventBeforeTheTestFiresIt_TheEventWinsAndTheTimerIsLeftUnfired()
    {
        var timers = new ManualTimers(TimeSpan.FromMinutes(1));
        await using var harness = await StartAsync(timers);

        await harness.Client.StartOrchestrationAsync<DeadlineOrchestrator>("deadline-2", 3600);
        await timers.WhenHeldAsync("deadline-2", 1).WaitAsync(TimeSpan.FromSeconds(30));
        await harness.Client.RaiseEventAsync("deadline-2", DeadlineOrchestrator.EventName, "yes");
        var done = await harness.Client.WaitForCompletionAsync("deadline-2", TimeSpan.FromSeconds(30));

        Assert.Equal("event:yes", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task LongTimers_WithChildren_FiresTheInstancesAndItsChildWorkflowsTimersOnly()
    {
        var timers = new ManualTimers(TimeSpan.FromMinutes(1));
        await using var harness = await StartAsync(timers);

        // A child workflow's id is its parent's, ':' and more; "family-10" only starts alike.
        foreach (var id in new[] { "family-1", "family-1:child", "family-10" })
        {
            await harness.Client.StartOrchestrationAsync<DeadlineOrchestrator>(id, 3600);
        }

        await timers.WhenHeldAsync("family-1", 2, withChildren: true).WaitAsync(TimeSpan.FromSeconds(30));
        await timers.WhenHeldAsync("family-10", 1).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(timers.Pending("family-1"));
        var fired = await timers.FireUntilAsync("family-1", DateTime.MaxValue, withChildren: true);
        var parent = await harness.Client.WaitForCompletionAsync("family-1", TimeSpan.FromSeconds(30));
        var child = await harness.Client.WaitForCompletionAsync("family-1:child", TimeSpan.FromSeconds(30));

        Assert.Equal(2, fired);
        Assert.Equal(("deadline", "deadline"), (parent.ReadOutputAs<string>(), child.ReadOutputAs<string>()));
        Assert.Single(timers.Pending("family-10"));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await harness.Client.GetStatusAsync("family-10"))!.RuntimeStatus);
    }

    [Fact]
    public async Task ShortTimer_RunsOnRealTime()
    {
        var timers = new ManualTimers(TimeSpan.FromMinutes(1));
        await using var harness = await StartAsync(timers);

        await harness.Client.StartOrchestrationAsync<DeadlineOrchestrator>("deadline-3", 1);
        var done = await harness.Client.WaitForCompletionAsync("deadline-3", TimeSpan.FromSeconds(30));

        Assert.Equal("deadline", done.ReadOutputAs<string>());
        Assert.Empty(timers.Pending("deadline-3"));
    }

    [Fact]
    public void ManualTimers_OnTheAzureStorageBackend_AreRefused()
    {
        var options = new DurableEngineOptions { Backend = DurableEngineBackend.AzureStorage, ManualTimers = new ManualTimers(TimeSpan.FromMinutes(1)) };

        var ex = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("ManualTimers works on the InMemory backend only", ex.Message, StringComparison.Ordinal);
    }

    private static Task<EngineHarness> StartAsync(ManualTimers timers) =>
        EngineHarness.StartAsync(o =>
        {
            o.Backend = DurableEngineBackend.InMemory;
            o.TaskHubName = EngineHarness.NewTaskHubName();
            o.StatusPollingInterval = TimeSpan.FromMilliseconds(20);
            o.ManualTimers = timers;
        });
}
