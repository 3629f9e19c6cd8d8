using DurableTask.Core;
using DurableTask.Core.History;

namespace OrderFlow.Engine;

/// <summary>
/// The in-memory backend's pending durable timers, held here instead of in the inner InProcessTestHost service. That
/// service schedules every timer as its own delayed task holding the timer message until it is due, even when the
/// orchestration finished (a cancelled timer, e.g. a confirmation wait answered long before its timeout) and even after
/// the instance was purged; a timer for a purged instance then reached an instance with no state and failed in the
/// dispatcher. Measured in the bench's memory run: one such timer per order, kept for the whole timeout (see
/// docs/performance.md "Memory"). Here a finished or purged instance's timers are dropped at once (<see cref="Drop"/>),
/// and a due timer whose instance is gone is discarded instead of delivered.
/// </summary>
/// <remarks>
/// One <see cref="Timer"/> is armed for the earliest due timer. Delivery hands the due messages to the inner service,
/// which queues them for their instance exactly as it queues a timer it scheduled itself.
/// </remarks>
internal sealed class InMemoryTimers : IDisposable
{
    /// <summary>Longest single wait of the underlying timer; a later timer is re-checked then.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(12);

    private readonly Func<TaskMessage[], Task> deliver;
    private readonly Func<string, bool> instanceExists;
    private readonly Lock gate = new();
    private readonly SortedSet<Entry> byDue = new(Comparer<Entry>.Create(static (a, b) => a.FireAt != b.FireAt ? a.FireAt.CompareTo(b.FireAt) : a.Sequence.CompareTo(b.Sequence)));
    private readonly Dictionary<string, List<Entry>> byInstance = new(StringComparer.OrdinalIgnoreCase);
    private readonly Timer timer;
    private long sequence;

    /// <param name="deliver">Sends due timer messages to their instances (the inner service).</param>
    /// <param name="instanceExists">Whether an instance still has state (false once purged).</param>
    public InMemoryTimers(Func<TaskMessage[], Task> deliver, Func<string, bool> instanceExists)
    {
        this.deliver = deliver;
        this.instanceExists = instanceExists;
        this.timer = new Timer(static state => _ = ((InMemoryTimers)state!).OnTimerAsync(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Timers waiting to fall due.</summary>
    public int Count
    {
        get
        {
            lock (this.gate)
            {
                return this.byDue.Count;
            }
        }
    }

    /// <summary>The timers waiting for <paramref name="instanceId"/>.</summary>
    public int CountFor(string instanceId)
    {
        lock (this.gate)
        {
            return this.byInstance.TryGetValue(instanceId, out var entries) ? entries.Count : 0;
        }
    }

    /// <summary>
    /// Keeps the not-yet-due <see cref="TimerFiredEvent"/> messages of <paramref name="timerMessages"/> and returns the
    /// rest (already due, or another kind), which the caller passes on as before.
    /// </summary>
    public IList<TaskMessage> Hold(IList<TaskMessage> timerMessages, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(timerMessages);
        if (timerMessages.Count == 0)
        {
            return timerMessages;
        }

        var passOn = new List<TaskMessage>();
        lock (this.gate)
        {
            var earliest = this.byDue.Count > 0 ? this.byDue.Min!.FireAt : DateTime.MaxValue;
            foreach (var message in timerMessages)
            {
                if (message.Event is not TimerFiredEvent fired || fired.FireAt <= utcNow || message.OrchestrationInstance?.InstanceId is not { } instanceId)
                {
                    passOn.Add(message);
                    continue;
                }

                var entry = new Entry(instanceId, fired.FireAt, ++this.sequence, message);
                this.byDue.Add(entry);
                (this.byInstance.TryGetValue(instanceId, out var entries) ? entries : this.byInstance[instanceId] = []).Add(entry);
            }

            if (this.byDue.Count > 0 && this.byDue.Min!.FireAt < earliest)
            {
                this.Arm(utcNow);
            }
        }

        return passOn;
    }

    /// <summary>Forgets every timer of <paramref name="instanceId"/> (it finished or was purged). Returns how many.</summary>
    public int Drop(string instanceId)
    {
        lock (this.gate)
        {
            if (!this.byInstance.Remove(instanceId, out var entries))
            {
                return 0;
            }

            foreach (var entry in entries)
            {
                this.byDue.Remove(entry);
            }

            return entries.Count;
        }
    }

    /// <summary>Forgets every timer (the task hub was deleted or recreated).</summary>
    public void Clear()
    {
        lock (this.gate)
        {
            this.byDue.Clear();
            this.byInstance.Clear();
        }
    }

    /// <summary>
    /// Delivers the timers due at <paramref name="utcNow"/> whose instance still exists, discards those of instances
    /// that do not, and re-arms for the next. Returns how many were delivered.
    /// </summary>
    public async Task<int> DeliverDueAsync(DateTime utcNow)
    {
        var due = new List<Entry>();
        lock (this.gate)
        {
            while (this.byDue.Count > 0 && this.byDue.Min!.FireAt <= utcNow)
            {
                var entry = this.byDue.Min;
                this.byDue.Remove(entry);
                if (this.byInstance.TryGetValue(entry.InstanceId, out var entries) && entries.Remove(entry) && entries.Count == 0)
                {
                    this.byInstance.Remove(entry.InstanceId);
                }

                due.Add(entry);
            }

            this.Arm(utcNow);
        }

        var messages = due.Where(e => this.instanceExists(e.InstanceId)).Select(e => e.Message).ToArray();
        if (messages.Length > 0)
        {
            await this.deliver(messages).ConfigureAwait(false);
        }

        return messages.Length;
    }

    public void Dispose() => this.timer.Dispose();

    private async Task OnTimerAsync()
    {
        try
        {
            await this.DeliverDueAsync(DateTime.UtcNow).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A timer callback must not throw; the inner service's send does not fail in practice.
        catch (Exception)
#pragma warning restore CA1031
        {
            lock (this.gate)
            {
                this.timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Sets the underlying timer for the earliest entry (or stops it). Caller holds the gate.</summary>
    private void Arm(DateTime utcNow)
    {
        if (this.byDue.Count == 0)
        {
            this.timer.Change(Timeout.Infinite, Timeout.Infinite);
            return;
        }

        var wait = this.byDue.Min!.FireAt - utcNow;
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestWait ? LongestWait : wait;
        this.timer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    private sealed record Entry(string InstanceId, DateTime FireAt, long Sequence, TaskMessage Message);
}
