using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Orchestrators.OrderWorkflow;

namespace OrderFlow.Workflows.Orchestrators;

/// <summary>
/// One parcel of an order (revision <see cref="OrderWorkflowVersions.FulfillmentAsChild"/>), a child of the order workflow
/// under <see cref="FulfillmentWorkflowInput.InstanceIdFor"/>: label, hand-off, the wait for the location's confirmation,
/// the recall of a parcel dropped after its hand-off, the stock commit, the record and the Shipped email
/// (<see cref="ParcelFlow"/>), under the order's idempotency keys. Its cases are its own (decisions come here); what is
/// the order's goes through <see cref="ParcelParentLink"/>. A cancellation of the order (from its parent, or a person
/// cancelling a failed step here) recalls a parcel already handed off, as the order workflow did. Its custom status says
/// "fulfill", or "on-hold:{caseId}" while a person decides.
/// </summary>
public sealed class FulfillmentOrchestrator : TaskOrchestrator<FulfillmentWorkflowInput, FulfillmentOutcome>
{
    public override async Task<FulfillmentOutcome> RunAsync(TaskOrchestrationContext context, FulfillmentWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var state = new OrderState(new OrderWorkflowInput(input.OrderId, string.Empty, string.Empty, input.Settings, input.Revision))
        {
            KeyInstanceId = input.OrderInstanceId,
            ParcelStockKeys = input.StockKeys,
        };
        state.ForParcel(input.Currency, input.Plan);
        var link = new ParcelParentLink(context, input, state);
        state.UnwindRequested = () => link.Unwinding;
        var calls = new DurableCalls(context, input.Settings);
        var desk = new CaseDesk(calls, input.Settings, input.OrderId, input.CaseIdPrefix, context.InstanceId, (name, timeout) => link.WaitAsync<CaseDecision>(name, timeout, stoppable: false));
        var steps = new OrderSteps(context, state, calls, desk) { Relay = link };
        var parcel = new ParcelFlow(context, state, steps, link);
        var fulfillmentId = input.Plan.FulfillmentId;
        context.SetCustomStatus("fulfill");
        try
        {
            var (shipped, _) = await parcel.RunAsync(input.Plan, input.Depth);
            return new FulfillmentOutcome(fulfillmentId, shipped.FirstOrDefault(), [.. state.Progress.AllPlans], link.Notices);
        }
        catch (StepCancelledException ex)
        {
            // The order is cancelled: a parcel at its location is recalled; one that had left is settled as shipped.
            state.Cancelling = true;
            var shipped = await parcel.RecallAtLocationsAsync();
            return new FulfillmentOutcome(fulfillmentId, shipped.FirstOrDefault(), [.. state.Progress.AllPlans], link.Notices, ex.Message, ex.ReasonCode);
        }
    }
}
