namespace OrderFlow.Testing.Ports;

/// <summary>
/// Pulsed by every fake port on each recorded call, so a test can wait for a condition over the fakes without
/// sleeping: it re-checks the condition each time something changes, until a deadline.
/// </summary>
public sealed class ChangeFeed
{
    private readonly Lock gate = new();
    private TaskCompletionSource next = NewPulse();

    /// <summary>Wakes every waiter so it re-checks its condition.</summary>
    public void Publish()
    {
        TaskCompletionSource pulsed;
        lock (this.gate)
        {
            pulsed = this.next;
            this.next = NewPulse();
        }

        pulsed.TrySetResult();
    }

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> at the deadline.</summary>
    public async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task pulse;
            lock (this.gate)
            {
                // Taken before the check, so a change between the check and the wait is not missed.
                pulse = this.next.Task;
            }

            if (condition())
            {
                return;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting until {what}.");
            }

            try
            {
                await pulse.WaitAsync(left);
            }
            catch (TimeoutException)
            {
                // Loop once more: the final check decides.
            }
        }
    }

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
