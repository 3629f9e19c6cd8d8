using Microsoft.DurableTask;

namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>Calls <see cref="GreetingActivity"/> once.</summary>
public sealed class GreetingOrchestrator : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input)
        => context.CallActivityAsync<string>(nameof(GreetingActivity), input);
}
