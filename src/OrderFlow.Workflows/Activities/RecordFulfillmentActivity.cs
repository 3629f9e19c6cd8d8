using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Records a fulfillment's new state on the order and its timeline (through <see cref="FulfillmentRecordWriter"/>).</summary>
public sealed class RecordFulfillmentActivity(IOrderStore orders, TimeProvider clock) : TaskActivity<FulfillmentUpdate, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, FulfillmentUpdate input)
    {
        await FulfillmentRecordWriter.WriteAsync(orders, clock, input);
        return true;
    }
}
