using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Writes a <see cref="StatusChange"/> to the stored order: the one piece of code behind <see cref="UpdateOrderStatusActivity"/>
/// and behind the status changes other activities carry from <see cref="OrderWorkflowVersions.StatusWithStep"/> (the
/// workflow then asks for no separate status activity). The store enforces the state machine and treats a move to the
/// status the order is in as done (nothing added to the timeline), so a retried activity writes a status once.
/// </summary>
public static class OrderStatusWriter
{
    /// <summary>
    /// Moves the order to <see cref="StatusChange.Status"/> with its timeline note. In a restarted run
    /// (<see cref="StatusChange.Restarted"/>) a move the state machine does not allow from the recorded status is skipped
    /// (false): the run passes phases the order had already left before its workflow stopped.
    /// </summary>
    public static async Task<bool> ApplyAsync(IOrderStore orders, TimeProvider clock, StatusChange change)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(change);
        if (change.Restarted && await orders.GetAsync(change.OrderId) is { } record
            && record.Status != change.Status && !OrderStatusMachine.CanTransition(record.Status, change.Status))
        {
            return false;
        }

        await orders.TransitionAsync(change.OrderId, change.Status, change.Note, clock.GetUtcNow());
        return true;
    }

    /// <summary>
    /// Writes the status change an activity carries (nothing when null) through <see cref="ApplyAsync"/>. A failure
    /// names the status it could not write, so the case a person sees when the carrying activity gives up says that
    /// the status, not the activity's own work, failed.
    /// </summary>
    /// <param name="orders">The order store.</param>
    /// <param name="clock">The time of the timeline entry.</param>
    /// <param name="change">The carried change, or null.</param>
    /// <param name="doneAt">For a change written before the activity's own work: the status the activity leaves the order
    /// in when it is done. A run that finds the order there (a completed activity delivered again) writes nothing.</param>
    public static async Task ApplyCarriedAsync(IOrderStore orders, TimeProvider clock, StatusChange? change, OrderStatus? doneAt = null)
    {
        if (change is null)
        {
            return;
        }

        InvalidOrderTransitionException refused;
        try
        {
            await ApplyAsync(orders, clock, change);
            return;
        }
        catch (InvalidOrderTransitionException ex) when (doneAt is not null)
        {
            refused = ex;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw NotRecorded(change, ex);
        }

        // Ran through before (a completed activity delivered again): the order is already where this activity leaves it.
        if ((await orders.GetAsync(change.OrderId))?.Status != doneAt)
        {
            throw NotRecorded(change, refused);
        }
    }

    private static InvalidOperationException NotRecorded(StatusChange change, Exception ex) =>
        new($"Order status {change.Status} (\"{change.Note}\") was not recorded: {ex.Message}", ex);
}
