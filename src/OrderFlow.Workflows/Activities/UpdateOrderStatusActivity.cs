using Microsoft.DurableTask;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>Moves the stored order to a new status (state machine enforced by the store) with a timeline note.</summary>
public sealed class UpdateOrderStatusActivity(IOrderStore orders, TimeProvider clock) : TaskActivity<StatusChange, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, StatusChange input)
    {
        await orders.TransitionAsync(input.OrderId, input.Status, input.Note, clock.GetUtcNow());
        return true;
    }
}
