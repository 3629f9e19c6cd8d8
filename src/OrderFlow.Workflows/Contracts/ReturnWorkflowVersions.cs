namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Revisions of the return workflow's behaviour, as <see cref="OrderWorkflowVersions"/> are for orders: a change to the
/// durable actions a return asks for gets a number here, the returns route starts new returns under
/// <see cref="Current"/>, and returns started earlier replay and finish on the path they began.
/// </summary>
public static class ReturnWorkflowVersions
{
    /// <summary>Returns started before versioning (their input has no version).</summary>
    public const int Original = 1;

    /// <summary>
    /// The refund goes through the child workflow the order workflow uses (<c>RefundOrchestrator</c>, instance id
    /// "{returnId}:refund-1"), under the same idempotency keys (return id + "refund", "-{round}" after a retry); a provider
    /// error after the retries opens a RefundFailed case there, as a refusal does (it opened an UnhandledStepFailure case).
    /// </summary>
    public const int RefundsAsChild = 2;

    /// <summary>What the returns route starts new returns under.</summary>
    public const int Current = RefundsAsChild;

    /// <summary>True when the return started under <paramref name="revision"/> or later.</summary>
    public static bool Runs(this ReturnWorkflowInput input, int revision)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Revision >= revision;
    }
}
