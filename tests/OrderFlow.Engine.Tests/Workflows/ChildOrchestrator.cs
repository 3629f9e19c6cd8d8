using Microsoft.DurableTask;

namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>Reports the parent it sees, as "name/instanceId", or "none".</summary>
public sealed class ChildOrchestrator : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input)
        => Task.FromResult(context.Parent is { } parent ? $"{parent.Name}/{parent.InstanceId}" : "none");
}
