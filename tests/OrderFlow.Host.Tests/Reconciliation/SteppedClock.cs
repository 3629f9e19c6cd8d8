namespace OrderFlow.Host.Tests.Reconciliation;

/// <summary>A clock that moves only when told to; timers created on it (Task.Delay included) fire as it passes their due time.</summary>
public sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<SteppedTimer> timers = [];
    private readonly SemaphoreSlim scheduled = new(0);
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (this.gate)
        {
            return this.now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SteppedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Completes once a timer has been set (e.g. the code under test is now waiting in Task.Delay).</summary>
    public Task TimerSetAsync(TimeSpan timeout) => this.scheduled.WaitAsync(timeout).ContinueWith(
        t => Assert.True(t.Result, "no timer was set in time"), TaskScheduler.Default);

    /// <summary>Moves the clock on and runs the callbacks of the timers that came due (one-shot: period is ignored).</summary>
    public void Advance(TimeSpan by)
    {
        List<SteppedTimer> due;
        lock (this.gate)
        {
            this.now += by;
            due = [.. this.timers.Where(t => t.DueAt <= this.now)];
            foreach (var t in due)
            {
                this.timers.Remove(t);
            }
        }

        foreach (var t in due)
        {
            t.Fire();
        }
    }

    private sealed class SteppedTimer(SteppedClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock.gate)
            {
                clock.timers.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    this.DueAt = clock.now + dueTime;
                    clock.timers.Add(this);
                    clock.scheduled.Release();
                }
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock.gate)
            {
                clock.timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            this.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
