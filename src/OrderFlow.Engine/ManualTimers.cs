using DurableTask.Core;
using DurableTask.Core.History;

namespace OrderFlow.Engine;

/// <summary>
/// A fake clock for durable timers on the in-memory backend, for tests: a timer due later than
/// <see cref="HoldBeyond"/> from when the orchestration asked for it is held instead of being scheduled, until the
/// test fires it. A timeout branch (a deadline that passes, a confirmation that never comes) is then taken when the test
/// says so, never because a loaded machine was slow to deliver an event before a short real timer. Shorter timers
/// (the activity retry back-off, small waits) run on real time as usual.
/// </summary>
public sealed class ManualTimers(TimeSpan holdBeyond)
{
    private readonly Lock gate = new();
    private readonly List<HeldTimer> held = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<TaskMessage[], Task>? deliver;

    /// <summary>Timers due later than this after they were created are held.</summary>
    public TimeSpan HoldBeyond { get; } = holdBeyond > TimeSpan.Zero ? holdBeyond : throw new ArgumentOutOfRangeException(nameof(holdBeyond));

    /// <summary>The timers held for an instance, earliest first.</summary>
    public IReadOnlyList<HeldTimer> Pending(string instanceId)
    {
        lock (this.gate)
        {
            return [.. this.held.Where(t => t.InstanceId == instanceId).OrderBy(t => t.FireAt).ThenBy(t => t.TimerId)];
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> timers are held for the instance (no polling: each hold wakes it).</summary>
    public Task WhenHeldAsync(string instanceId, int count, CancellationToken cancellationToken = default) =>
        this.WhenHeldAsync(instanceId, count, withChildren: false, cancellationToken);

    /// <summary>
    /// Completes once at least <paramref name="count"/> timers are held for the instance and, with
    /// <paramref name="withChildren"/>, its child workflows (instance ids "{instanceId}:...").
    /// </summary>
    public async Task WhenHeldAsync(string instanceId, int count, bool withChildren, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task next;
            lock (this.gate)
            {
                if (this.held.Count(t => Of(t, instanceId, withChildren)) >= count)
                {
                    return;
                }

                next = this.changed.Task;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Fires the instance's earliest held timer (as if the clock had reached it); with <paramref name="withChildren"/>, the
    /// earliest of the instance's and its child workflows'. False when none is held.
    /// </summary>
    public async Task<bool> FireNextAsync(string instanceId, bool withChildren = false)
    {
        HeldTimer? next;
        lock (this.gate)
        {
            next = this.held.Where(t => Of(t, instanceId, withChildren)).OrderBy(t => t.FireAt).ThenBy(t => t.TimerId).FirstOrDefault();
            if (next is not null)
            {
                this.held.Remove(next);
            }
        }

        if (next is null)
        {
            return false;
        }

        await this.DeliverAsync([next]);
        return true;
    }

    /// <summary>
    /// Fires every held timer of the instance (with <paramref name="withChildren"/>, also of its child workflows) due at or
    /// before <paramref name="until"/>; returns how many.
    /// </summary>
    public async Task<int> FireUntilAsync(string instanceId, DateTime until, bool withChildren = false)
    {
        List<HeldTimer> due;
        lock (this.gate)
        {
            due = [.. this.held.Where(t => Of(t, instanceId, withChildren) && t.FireAt <= until).OrderBy(t => t.FireAt)];
            this.held.RemoveAll(due.Contains);
        }

        await this.DeliverAsync(due);
        return due.Count;
    }

    /// <summary>Called by the backend when it completes a work item: keeps the timers to hold, returns the rest.</summary>
    internal IList<TaskMessage> Filter(IList<TaskMessage> timerMessages, DateTime now)
    {
        if (timerMessages.Count == 0)
        {
            return timerMessages;
        }

        var passed = new List<TaskMessage>();
        lock (this.gate)
        {
            foreach (var message in timerMessages)
            {
                if (message.Event is TimerFiredEvent fired && fired.FireAt - now > this.HoldBeyond)
                {
                    this.held.Add(new HeldTimer(message.OrchestrationInstance.InstanceId, fired.TimerId, fired.FireAt, message));
                    this.changed.TrySetResult();
                    this.changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                else
                {
                    passed.Add(message);
                }
            }
        }

        return passed;
    }

    /// <summary>The timer is the instance's, or (<paramref name="withChildren"/>) one of its child workflows' ("{instanceId}:...").</summary>
    private static bool Of(HeldTimer timer, string instanceId, bool withChildren) =>
        timer.InstanceId == instanceId || (withChildren && timer.InstanceId.StartsWith(instanceId + ":", StringComparison.Ordinal));

    internal void Attach(Func<TaskMessage[], Task> sink) => this.deliver = sink;

    private Task DeliverAsync(IReadOnlyCollection<HeldTimer> timers)
    {
        if (timers.Count == 0)
        {
            return Task.CompletedTask;
        }

        var sink = this.deliver ?? throw new InvalidOperationException("ManualTimers is not attached to a started in-memory backend.");
        foreach (var timer in timers)
        {
            // Due now: the backend must not wait for the original fire time. The orchestration matches the timer by id.
            ((TimerFiredEvent)timer.Message.Event).FireAt = DateTime.UtcNow;
        }

        return sink([.. timers.Select(t => t.Message)]);
    }
}

/// <summary>A durable timer held by <see cref="ManualTimers"/>.</summary>
public sealed record HeldTimer(string InstanceId, int TimerId, DateTime FireAt, TaskMessage Message);
