using System.Collections.Concurrent;

namespace OrderFlow.Engine;

/// <summary>
/// In-memory backend, when the host sets <see cref="DurableEngineOptions.InMemoryFinishedInstanceRetention"/>: purges an
/// orchestration instance once it has been finished (Completed, Failed, Terminated) for that long. Without it the
/// in-memory store keeps every instance, history and all, for the life of the process (the bench's memory run with
/// --keep-instances). An instance is queued when its finishing work item is released (never while the dispatcher
/// still holds it), and purged only if it is still finished and has not been updated since the cut-off (a restarted
/// instance is left alone). Entities never finish and are never purged here.
/// </summary>
internal sealed class InMemoryRetention : IDisposable
{
    private readonly ConcurrentQueue<(string InstanceId, DateTime At)> finished = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> queuedSignals = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<string, DateTime?> finishedAt;
    private readonly Func<string, Task> purge;
    private readonly Timer sweep;
    private int sweeping;

    /// <param name="retention">How long a finished instance is kept (at least <see cref="Minimum"/>).</param>
    /// <param name="finishedAt">When the instance last changed, if it is finished now; null when running or gone.</param>
    /// <param name="purge">Removes the instance from the store.</param>
    public InMemoryRetention(TimeSpan retention, Func<string, DateTime?> finishedAt, Func<string, Task> purge)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retention, Minimum);
        this.Retention = retention;
        this.finishedAt = finishedAt;
        this.purge = purge;
        var period = TimeSpan.FromTicks(Math.Clamp(retention.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(1).Ticks));
        this.sweep = new Timer(static state => _ = ((InMemoryRetention)state!).SweepAsync(), this, period, period);
    }

    /// <summary>Shortest retention accepted: a client waiting on an instance reads its final state within this.</summary>
    public static TimeSpan Minimum { get; } = TimeSpan.FromMinutes(1);

    public TimeSpan Retention { get; }

    /// <summary>Finished instances waiting for their retention to pass.</summary>
    public int Count => this.finished.Count;

    /// <summary>Queues <paramref name="instanceId"/>, whose finishing work item was just released.</summary>
    public void Finished(string instanceId, DateTime utcNow)
    {
        this.finished.Enqueue((instanceId, utcNow));
        this.queuedSignals.GetOrAdd(instanceId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Completes once <paramref name="instanceId"/> has been queued (tests: no polling, no sleeps).</summary>
    public Task WhenQueuedAsync(string instanceId)
        => this.queuedSignals.GetOrAdd(instanceId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Purges the queued instances finished at or before <paramref name="utcNow"/> minus the retention. Returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(DateTime utcNow)
    {
        var cutoff = utcNow - this.Retention;
        var purged = 0;
        while (this.finished.TryPeek(out var next) && next.At <= cutoff && this.finished.TryDequeue(out next))
        {
            this.queuedSignals.TryRemove(next.InstanceId, out _);
            if (this.finishedAt(next.InstanceId) is { } at && at <= cutoff)
            {
                await this.purge(next.InstanceId).ConfigureAwait(false);
                purged++;
            }
        }

        return purged;
    }

    public void Dispose() => this.sweep.Dispose();

    private async Task SweepAsync()
    {
        if (Interlocked.Exchange(ref this.sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            await this.PurgeExpiredAsync(DateTime.UtcNow).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A timer callback must not throw; the next sweep tries again.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            Volatile.Write(ref this.sweeping, 0);
        }
    }
}
