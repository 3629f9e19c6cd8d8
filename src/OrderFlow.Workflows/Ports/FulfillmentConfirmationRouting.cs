using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>
/// Where a location's answer about a parcel (<see cref="FulfillmentConfirmation"/>) is raised. Since order revision 12
/// the parcel's Fulfillment child waits for it; raised to the order, the order takes it and sends it on (two more durable
/// actions per parcel and one more order episode). So it goes straight to the child while the child runs, and to the
/// order otherwise: an order of revision 11 or earlier waits for it itself, and an order whose child has not started yet
/// (an answer ahead of its parcel) keeps it and forwards it once the child runs. The child applies an answer once, so one
/// raised both ways in a race does no harm. From revision 18 a one-parcel order runs its parcels itself: no child instance
/// exists, so the answer goes to the order, which waits for it.
/// </summary>
public static class FulfillmentConfirmationRouting
{
    /// <summary>Raises <paramref name="confirmation"/> to the parcel's running child, else to the order; returns the instance it went to.</summary>
    public static async Task<string> RaiseConfirmationAsync(
        this IWorkflowClient workflows, string orderId, FulfillmentConfirmation confirmation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentNullException.ThrowIfNull(confirmation);
        var target = await ChildWaitingAsync(workflows, orderId, confirmation.FulfillmentId, cancellationToken) ?? orderId;
        await workflows.RaiseEventAsync(target, FulfillmentConfirmation.EventName(confirmation.FulfillmentId), confirmation, cancellationToken);
        return target;
    }

    private static async Task<string?> ChildWaitingAsync(IWorkflowClient workflows, string orderId, string fulfillmentId, CancellationToken cancellationToken)
    {
        if (await workflows.GetInputAsync<OrderWorkflowInput>(orderId, cancellationToken) is not { } input
            || !input.Runs(OrderWorkflowVersions.FulfillmentAsChild))
        {
            return null;
        }

        var childId = FulfillmentWorkflowInput.InstanceIdFor(input.RunId, fulfillmentId);
        return await workflows.GetStatusAsync(childId, cancellationToken) is { RuntimeStatus: "Running" } ? childId : null;
    }
}
