namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// One workflow instance as a status listing returns it: who, which orchestrator, where it stands and since when, and
/// for a Failed instance the failure (a Terminated one: the reason it was terminated with, when the engine keeps it).
/// </summary>
public sealed record WorkflowInstanceSummary(
    string InstanceId, string Name, string RuntimeStatus, DateTimeOffset CreatedAt, DateTimeOffset LastUpdated, string? Failure, string? CustomStatus);
