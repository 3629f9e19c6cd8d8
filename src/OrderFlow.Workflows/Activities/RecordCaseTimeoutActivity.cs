using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Closes a case whose last deadline passed, so no link or operator can still decide what the default already did.</summary>
public sealed class RecordCaseTimeoutActivity(IExceptionQueue queue, IOrderStore orders, TimeProvider clock) : TaskActivity<CaseTimeout, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CaseTimeout input)
    {
        await queue.RecordTimeoutAsync(input);
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "case", $"Case {input.CaseId} undecided at its deadline: default {input.DefaultApplied} applied."));
        return true;
    }
}
