namespace OrderFlow.Integrations.Cases;

/// <summary>Stored case statuses.</summary>
public static class CaseStatuses
{
    public const string Open = "Open";

    /// <summary>A person decided and the decision reached the waiting workflow.</summary>
    public const string Resolved = "Resolved";

    /// <summary>A person decided, but the order's workflow had already ended (the decision is recorded, nothing resumed).</summary>
    public const string WorkflowEnded = "WorkflowEnded";

    /// <summary>Nobody decided by the last deadline; the reason's default policy applied (recorded as the resolution).</summary>
    public const string TimedOut = "TimedOut";
}
