using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Lists the orders a reconciliation run covers: those last updated in the range, sorted, at most the limit.</summary>
public sealed class ListOrdersToReconcileActivity(IOrderStore orders) : TaskActivity<OrderRange, OrderBatch>
{
    public override async Task<OrderBatch> RunAsync(TaskActivityContext context, OrderRange input)
    {
        ArgumentNullException.ThrowIfNull(input);

        // One more than the limit tells a full range from one that was cut.
        var ids = await orders.ListOrdersAsync(input.From, input.To, input.Limit + 1);
        var sorted = ids.Order(StringComparer.Ordinal).ToList();
        return sorted.Count > input.Limit ? new OrderBatch(sorted[..input.Limit], true) : new OrderBatch(sorted, false);
    }
}
