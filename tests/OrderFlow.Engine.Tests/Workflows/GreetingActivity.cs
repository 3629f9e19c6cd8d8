using Microsoft.DurableTask;

namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>Activity with a constructor-injected dependency.</summary>
public sealed class GreetingActivity(GreetingFormatter formatter) : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult(formatter.Format(input));
}
