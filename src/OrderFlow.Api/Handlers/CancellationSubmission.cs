namespace OrderFlow.Api.Handlers;

/// <summary>What became of a cancellation request: raised to the running workflow, too late, or no workflow to ask.</summary>
public sealed record CancellationSubmission(string Outcome, string? FinishedAs)
{
    public const string Raised = "accepted";
    public const string TooLate = "too-late";
    public const string NoWorkflow = "no-workflow";

    /// <summary>Recorded outcome of a platform cancellation held until its order's workflow starts.</summary>
    public const string Held = "held";
}
