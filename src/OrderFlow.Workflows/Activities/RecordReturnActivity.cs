using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Records a return request in the returns table and on the order's timeline (once per return id).</summary>
public sealed class RecordReturnActivity(IReturnStore returns, IOrderStore orders, TimeProvider clock) : TaskActivity<ReturnWorkflowInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ReturnWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var now = clock.GetUtcNow();
        var items = CustomerNotification.FormatItems(input.Lines.Select(l => (l.Sku, l.Quantity)));
        var record = new ReturnRecord(input.ReturnId, input.OrderId, input.Lines, input.Reason, input.RefundShipping, ReturnStatus.Requested, $"Requested: {items}.", now, now);
        if (await returns.CreateAsync(record))
        {
            await orders.AppendTimelineAsync(input.OrderId, new TimelineEntry(now, "return", $"Return {input.ReturnId} requested ({items}): {input.Reason}"));
        }

        return true;
    }
}
