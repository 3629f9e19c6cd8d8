namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Marks an order workflow run that replaces one that ended Failed or Terminated (same instance id, so every idempotency
/// key, event route and status page stays the order's): the n-th restart (<see cref="Attempt"/>), the WorkflowFailed
/// case whose decision asked for it, and whether the run cancels the order (<see cref="Cancel"/>) or resumes it from
/// its recorded progress. See <see cref="OrderWorkflowVersions.Restartable"/>.
/// </summary>
public sealed record WorkflowRestart(int Attempt, string CaseId, bool Cancel);
