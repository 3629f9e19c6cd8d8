using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Writes an exception case durably and alerts approvers; the workflow then waits for the decision.</summary>
public sealed class OpenCaseActivity(IExceptionQueue queue, IOrderStore orders, TimeProvider clock) : TaskActivity<OpenCaseRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, OpenCaseRequest input)
    {
        await queue.OpenAsync(input);
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "case", $"Case {input.CaseId} opened ({input.Reason} at {input.Step}): {input.Error}"));
        return true;
    }
}
