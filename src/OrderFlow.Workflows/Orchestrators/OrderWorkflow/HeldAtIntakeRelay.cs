using Microsoft.DurableTask;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// Revision 13 (<see cref="OrderWorkflowVersions.IntakeBehindStart"/>): what was held for the order before its workflow
/// existed, as its first activity returned it (<see cref="OrderSummary.Held"/>), is raised by the workflow to itself,
/// payment notices first and oldest first, then the cancellations (the order intake's order before), and then marked
/// relayed by <see cref="ClearHeldAtIntakeActivity"/>. The events are sent from the workflow's history, so none is lost
/// if the worker stops before they are cleared; an order with nothing held adds no action.
/// </summary>
internal static class HeldAtIntakeRelay
{
    public static async Task RaiseToSelfAsync(TaskOrchestrationContext context, OrderState state, OrderSteps steps)
    {
        if (!state.Input.Runs(OrderWorkflowVersions.IntakeBehindStart) || state.Order.Held is not { IsEmpty: false } held)
        {
            return;
        }

        // Oldest first, as the store returns them (IPaymentEventStore.GetPendingAsync).
        foreach (var notice in held.PaymentNotices)
        {
            context.SendEvent(context.InstanceId, PaymentEvents.EventName(notice.Type), notice);
        }

        foreach (var request in held.Cancellations)
        {
            context.SendEvent(context.InstanceId, CancelOrderRequest.EventName, request);
        }

        await steps.StepAsync<bool>(nameof(ClearHeldAtIntakeActivity), new ClearHeldRequest(state.OrderId, held));
    }
}
