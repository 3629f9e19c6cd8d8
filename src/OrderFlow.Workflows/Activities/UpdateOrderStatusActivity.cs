using Microsoft.DurableTask;
using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Moves the stored order to a new status (state machine enforced by the store) with a timeline note. In a restarted
/// run (<see cref="StatusChange.Restarted"/>) a move the state machine does not allow from the recorded status is
/// skipped (false): the run passes phases the order had already left before its workflow stopped.
/// </summary>
public sealed class UpdateOrderStatusActivity(IOrderStore orders, TimeProvider clock) : TaskActivity<StatusChange, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, StatusChange input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Restarted && await orders.GetAsync(input.OrderId) is { } record
            && record.Status != input.Status && !OrderStatusMachine.CanTransition(record.Status, input.Status))
        {
            return false;
        }

        await orders.TransitionAsync(input.OrderId, input.Status, input.Note, clock.GetUtcNow());
        return true;
    }
}
