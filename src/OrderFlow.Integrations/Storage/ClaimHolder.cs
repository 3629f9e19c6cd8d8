namespace OrderFlow.Integrations.Storage;

/// <summary>
/// Who holds a short claim on an outbox row (a customer email being sent): this process, named by its worker and a fresh
/// incarnation id per start. Where the deployment runs at most one process per worker name at a time
/// (<paramref name="SoleProcessPerWorker"/>: the one-machine host, whose durable engine owns its task hub partitions
/// under one stable <c>Engine:WorkerId</c>), a claim left by an earlier incarnation of the same worker belongs to a
/// process that is gone, so it is taken over at once instead of waiting for the claim to run out. Elsewhere (the
/// Functions app, where instances come and go) claims always run their course.
/// </summary>
public sealed record ClaimHolder(string Worker, bool SoleProcessPerWorker)
{
    /// <summary>This process's incarnation: new at every start.</summary>
    public string Incarnation { get; } = Guid.NewGuid().ToString("N");

    /// <summary>What a claim row records as its holder.</summary>
    public string Name => $"{this.Worker}/{this.Incarnation}";

    /// <summary>True when <paramref name="holder"/> (a recorded <see cref="Name"/>) is an earlier start of this worker that is gone.</summary>
    public bool LeftByPredecessor(string? holder)
    {
        var slash = holder?.LastIndexOf('/') ?? -1;
        if (!this.SoleProcessPerWorker || slash < 0)
        {
            return false;
        }

        return string.Equals(holder![..slash], this.Worker, StringComparison.Ordinal) && !string.Equals(holder[(slash + 1)..], this.Incarnation, StringComparison.Ordinal);
    }
}
