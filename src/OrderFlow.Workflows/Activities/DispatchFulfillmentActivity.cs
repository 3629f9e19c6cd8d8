using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Step 9b: hands the fulfillment to its location; confirmation comes back later as an external event. From
/// <see cref="OrderWorkflowVersions.FulfillmentRecordWithStep"/> it then writes the fulfillment's record the dispatch
/// carries (<see cref="FulfillmentDispatch.Then"/>, awaiting-confirmation, through <see cref="FulfillmentRecordWriter"/>);
/// the location never sees that field. A failed hand-off writes nothing; a retry hands off again under the same
/// idempotency key and then writes the record.
/// </summary>
public sealed class DispatchFulfillmentActivity(IFulfillmentProvider provider, IOrderStore orders, TimeProvider clock) : TaskActivity<FulfillmentDispatch, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, FulfillmentDispatch input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reference = await provider.DispatchAsync(input.Then is null ? input : input with { Then = null });
        await FulfillmentRecordWriter.WriteCarriedAsync(orders, clock, input.Then);
        return reference;
    }
}
