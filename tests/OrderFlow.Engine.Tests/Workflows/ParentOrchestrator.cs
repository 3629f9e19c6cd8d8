using Microsoft.DurableTask;

namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>Runs <see cref="ChildOrchestrator"/> as a sub-orchestration and returns its answer.</summary>
public sealed class ParentOrchestrator : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input)
        => context.CallSubOrchestratorAsync<string>(nameof(ChildOrchestrator), input);
}
