using Microsoft.DurableTask;

namespace OrderFlow.Engine.Tests.Workflows;

/// <summary>Publishes its request as custom status, then waits for the <see cref="EventName"/> event.</summary>
public sealed class ApprovalOrchestrator : TaskOrchestrator<ApprovalRequest, ApprovalDecision>
{
    public const string EventName = "ApprovalDecided";

    public override async Task<ApprovalDecision> RunAsync(TaskOrchestrationContext context, ApprovalRequest input)
    {
        context.SetCustomStatus(input);
        return await context.WaitForExternalEvent<ApprovalDecision>(EventName);
    }
}
