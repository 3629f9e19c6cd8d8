using Microsoft.DurableTask;

namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>Calls <see cref="FailingActivity"/> without handling its failure.</summary>
public sealed class FailingOrchestrator : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input)
        => context.CallActivityAsync<string>(nameof(FailingActivity), input);
}
