using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Step 9b: hands the fulfillment to its location; confirmation comes back later as an external event.</summary>
public sealed class DispatchFulfillmentActivity(IFulfillmentProvider provider) : TaskActivity<FulfillmentDispatch, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, FulfillmentDispatch input) => provider.DispatchAsync(input);
}
