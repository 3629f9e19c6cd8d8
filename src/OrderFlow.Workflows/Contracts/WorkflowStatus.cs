namespace OrderFlow.Workflows.Contracts;

/// <summary>Engine-neutral view of a workflow instance.</summary>
public sealed record WorkflowStatus(string InstanceId, string RuntimeStatus, string? CustomStatus, string? Output, DateTimeOffset? LastUpdated)
{
    public bool IsTerminal => RuntimeStatus is "Completed" or "Failed" or "Terminated" or "Canceled";
}
