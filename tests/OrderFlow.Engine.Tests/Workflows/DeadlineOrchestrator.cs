using Microsoft.DurableTask;

namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>Waits for <see cref="EventName"/> until a deadline (input, in seconds); answers "event:{value}" or "deadline".</summary>
public sealed class DeadlineOrchestrator : TaskOrchestrator<int, string>
{
    public const string EventName = "Answer";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var cancel = new CancellationTokenSource();
        var answer = context.WaitForExternalEvent<string>(EventName, cancel.Token);
        var deadline = context.CreateTimer(TimeSpan.FromSeconds(input), cancel.Token);
        var first = await Task.WhenAny(answer, deadline);
        cancel.Cancel();
        return first == answer ? $"event:{answer.Result}" : "deadline";
    }
}
