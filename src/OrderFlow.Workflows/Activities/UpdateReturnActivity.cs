using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Moves a stored return along (receipt, refund, closing) and notes it on the order's timeline.</summary>
public sealed class UpdateReturnActivity(IReturnStore returns, IOrderStore orders, TimeProvider clock) : TaskActivity<ReturnUpdate, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ReturnUpdate input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var now = clock.GetUtcNow();
        var before = await returns.GetAsync(input.ReturnId);
        await returns.UpdateAsync(input, now);

        // A retried activity finds the status already applied: the timeline line is not written twice.
        if (before?.Status != input.Status)
        {
            await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(now, "return", $"Return {input.ReturnId} {input.Status}: {input.Note}"));
        }

        return true;
    }
}
