using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Moves the stored order to a new status (state machine enforced by the store) with a timeline note. In a restarted
/// run (<see cref="StatusChange.Restarted"/>) a move the state machine does not allow from the recorded status is
/// skipped (false): the run passes phases the order had already left before its workflow stopped. The write is
/// <see cref="OrderStatusWriter"/>'s, shared with the activities that carry a status change.
/// </summary>
public sealed class UpdateOrderStatusActivity(IOrderStore orders, TimeProvider clock) : TaskActivity<StatusChange, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, StatusChange input) =>
        OrderStatusWriter.ApplyAsync(orders, clock, input);
}
