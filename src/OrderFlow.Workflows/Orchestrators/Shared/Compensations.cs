namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// What a workflow has to undo when it gives up, last in first out: each step that takes something (stock, money)
/// adds how to give it back before it runs; unwinding runs them newest first, each once. The argument is why the
/// workflow unwinds (e.g. the cancellation reason a refund quotes). Deterministic: it only orders awaits.
/// </summary>
public sealed class Compensations
{
    private readonly Stack<Func<string, Task>> undo = new();

    /// <summary>Adds how to undo the step about to run.</summary>
    public void Add(Func<string, Task> compensation)
    {
        ArgumentNullException.ThrowIfNull(compensation);
        this.undo.Push(compensation);
    }

    /// <summary>Runs every added compensation, newest first; each runs once even if unwinding is asked for again.</summary>
    public async Task RunAsync(string why)
    {
        while (this.undo.TryPop(out var compensation))
        {
            await compensation(why);
        }
    }
}
