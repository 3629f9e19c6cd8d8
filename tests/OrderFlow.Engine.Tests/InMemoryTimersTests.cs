using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;
using OrderFlow.Engine.Tests.Workflows;

namespace OrderFlow.Engine.Tests;

/// <summary>
/// The in-memory backend's durable timers (<see cref="InMemoryTimers"/>): a finished or purged instance's pending timers
/// are dropped at once instead of being held in memory until due, and a due timer of an instance that is gone is never
/// delivered; timers of running instances fire as before.
/// </summary>
public sealed class InMemoryTimersTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly DateTime Now = new(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task FinishedInstance_ItsCancelledOneHourTimer_IsDroppedAtOnce()
    {
        await using var harness = await EngineHarness.StartInMemoryAsync();
        var service = Assert.IsType<InMemoryEntityOrchestrationService>(harness.Engine.OrchestrationService);

        await harness.Client.StartOrchestrationAsync<DeadlineOrchestrator>("answered", 3600);
        await harness.Client.WaitForStartAsync("answered", Timeout); // the first episode (and its timer) is saved
        var heldWhileWaiting = service.PendingTimerCount;
        await harness.Client.RaiseEventAsync("answered", DeadlineOrchestrator.EventName, "yes");
        var done = await harness.Client.WaitForCompletionAsync("answered", Timeout);

        Assert.Equal(1, heldWhileWaiting);
        Assert.Equal("event:yes", done.ReadOutputAs<string>());
        Assert.Equal(0, service.PendingTimerCount);
    }

    [Fact]
    public async Task RunningInstance_ShortTimer_FiresAndTheTimeoutBranchRuns()
    {
        await using var harness = await EngineHarness.StartInMemoryAsync();
        var service = Assert.IsType<InMemoryEntityOrchestrationService>(harness.Engine.OrchestrationService);

        await harness.Client.StartOrchestrationAsync<DeadlineOrchestrator>("unanswered", 1);
        var done = await harness.Client.WaitForCompletionAsync("unanswered", Timeout);

        Assert.Equal("deadline", done.ReadOutputAs<string>());
        Assert.Equal(0, service.PendingTimerCount);
    }

    [Fact]
    public async Task PurgedInstance_ItsPendingTimerIsDropped()
    {
        await using var harness = await EngineHarness.StartInMemoryAsync();
        var service = Assert.IsType<InMemoryEntityOrchestrationService>(harness.Engine.OrchestrationService);
        await harness.Client.StartOrchestrationAsync<DeadlineOrchestrator>("purged", 3600);
        await harness.Client.WaitForStartAsync("purged", Timeout);
        var heldWhileWaiting = service.PendingTimerCount;

        await service.PurgeInstanceStateAsync("purged");

        Assert.Equal(1, heldWhileWaiting);
        Assert.Equal(0, service.PendingTimerCount);
    }

    [Fact]
    public async Task Hold_KeepsOnlyTimersNotYetDue_AndDeliversThemWhenDue()
    {
        var delivered = new List<TaskMessage>();
        using var timers = new InMemoryTimers(m => Record(delivered, m), _ => true);
        var later = TimerMessage("a", 1, Now.AddHours(1));
        var due = TimerMessage("a", 2, Now.AddSeconds(-1));
        var other = new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = "a" }, Event = new EventRaisedEvent(-1, "x") };

        var passedOn = timers.Hold([later, due, other], Now);
        var deliveredEarly = await timers.DeliverDueAsync(Now.AddMinutes(59));
        var deliveredWhenDue = await timers.DeliverDueAsync(Now.AddHours(1));

        Assert.Equal([due, other], passedOn);
        Assert.Equal(0, deliveredEarly);
        Assert.Equal(1, deliveredWhenDue);
        Assert.Equal([later], delivered);
        Assert.Equal(0, timers.Count);
    }

    [Fact]
    public async Task Drop_ForgetsEveryTimerOfThatInstanceOnly()
    {
        var delivered = new List<TaskMessage>();
        using var timers = new InMemoryTimers(m => Record(delivered, m), _ => true);
        var kept = TimerMessage("b", 1, Now.AddHours(2));
        timers.Hold([TimerMessage("a", 1, Now.AddHours(1)), TimerMessage("a", 2, Now.AddDays(2)), kept], Now);

        var dropped = timers.Drop("a");
        await timers.DeliverDueAsync(Now.AddDays(3));

        Assert.Equal(2, dropped);
        Assert.Equal([kept], delivered);
        Assert.Equal(0, timers.CountFor("a"));
    }

    [Fact]
    public async Task DueTimer_OfAnInstanceThatNoLongerExists_IsDiscardedNotDelivered()
    {
        var delivered = new List<TaskMessage>();
        using var timers = new InMemoryTimers(m => Record(delivered, m), id => id != "gone");
        var kept = TimerMessage("here", 1, Now.AddHours(1));
        timers.Hold([TimerMessage("gone", 1, Now.AddHours(1)), kept], Now);

        var count = await timers.DeliverDueAsync(Now.AddHours(1));

        Assert.Equal(1, count);
        Assert.Equal([kept], delivered);
        Assert.Equal(0, timers.Count);
    }

    private static Task Record(List<TaskMessage> delivered, TaskMessage[] messages)
    {
        lock (delivered)
        {
            delivered.AddRange(messages);
        }

        return Task.CompletedTask;
    }

    private static TaskMessage TimerMessage(string instanceId, int timerId, DateTime fireAt) => new()
    {
        OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = "e1" },
        Event = new TimerFiredEvent(-1, fireAt) { TimerId = timerId },
    };
}
