using Microsoft.DurableTask;

namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>Always throws.</summary>
public sealed class FailingActivity : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input)
        => throw new InvalidOperationException($"Carrier rejected {input}");
}
