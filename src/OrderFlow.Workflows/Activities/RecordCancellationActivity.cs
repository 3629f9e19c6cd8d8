using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Puts what a cancellation request did on the order's timeline: what was cancelled, what could not be stopped.</summary>
public sealed class RecordCancellationActivity(IOrderStore orders, TimeProvider clock) : TaskActivity<CancellationReport, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CancellationReport input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(clock.GetUtcNow(), "cancellation", input.Describe()));
        return true;
    }
}
