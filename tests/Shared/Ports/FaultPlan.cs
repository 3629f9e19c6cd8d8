namespace OrderFlow.Testing.Ports;

/// <summary>A thread-safe countdown of injected failures: the next <c>n</c> calls that ask fail.</summary>
public sealed class FaultPlan
{
    private int remaining;

    /// <summary>Makes the next <paramref name="count"/> checks fail.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref this.remaining, count);

    /// <summary>True (and one failure used up) when this call should fail.</summary>
    public bool ShouldFail()
    {
        while (true)
        {
            var current = Volatile.Read(ref this.remaining);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref this.remaining, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
