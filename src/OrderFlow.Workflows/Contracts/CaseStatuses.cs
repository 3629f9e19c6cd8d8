namespace OrderFlow.Workflows.Contracts;

/// <summary>Stored case statuses.</summary>
public static class CaseStatuses
{
    public const string Open = "Open";

    /// <summary>
    /// A person decided; the decision (choice, who, when, any corrected address) is recorded but not yet delivered to the
    /// workflow. Delivery raises the event and then marks the case Resolved; a retry of the same choice, or the
    /// decision sweeper (every minute, for decisions older than a minute), delivers it again until it is.
    /// </summary>
    public const string Decided = "Decided";

    /// <summary>A person decided and the decision reached the waiting workflow.</summary>
    public const string Resolved = "Resolved";

    /// <summary>A person decided, but the order's workflow had already ended (the decision is recorded, nothing resumed).</summary>
    public const string WorkflowEnded = "WorkflowEnded";

    /// <summary>Nobody decided by the last deadline; the reason's default policy applied (recorded as the resolution).</summary>
    public const string TimedOut = "TimedOut";
}
