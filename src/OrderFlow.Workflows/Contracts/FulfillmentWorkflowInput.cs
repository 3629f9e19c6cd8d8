using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Starts the Fulfillment child workflow (<c>FulfillmentOrchestrator</c>) of one parcel of an order, under
/// <see cref="InstanceIdFor"/>. Idempotency keys stay the order's: <see cref="OrderInstanceId"/> (the order workflow's
/// instance id) + the step ("dispatch-{fulfillmentId}", "cancel-...", "void-label-..."), never the child's own id. The
/// child's cases are numbered under <see cref="CaseIdPrefix"/> and their decisions go to the child.
/// </summary>
/// <param name="OrderInstanceId">The order workflow's instance id: the idempotency keys' base and where the child's notices go.</param>
/// <param name="CaseIdPrefix">What the child's case ids start with ("{order run}-{fulfillment number}", apart from the order's own cases).</param>
/// <param name="Depth">How many re-routings led to this parcel (1 for a first plan); re-routing stops at <c>DurableCalls.MaxRounds</c>.</param>
/// <param name="Currency">The order's currency.</param>
/// <param name="StockKeys">The entity holding the order's units of each of the parcel's SKUs (a shard when the SKU is split).</param>
/// <param name="Revision">The order's revision (<see cref="OrderWorkflowVersions"/>): the child takes the same paths.</param>
public sealed record FulfillmentWorkflowInput(
    string OrderId,
    string OrderInstanceId,
    string CaseIdPrefix,
    PlannedFulfillment Plan,
    int Depth,
    string Currency,
    IReadOnlyDictionary<string, string> StockKeys,
    int Revision,
    OrderWorkflowSettings Settings)
{
    /// <summary>
    /// The child's instance id: the order run's id (the order id, "{orderId}-r{n}" for a restarted run), ':' and the
    /// fulfillment id. A ':' is never part of an order id, so it is never an order's id, and a restarted run never reuses
    /// a child id of the run it replaces.
    /// </summary>
    public static string InstanceIdFor(string runId, string fulfillmentId) => $"{runId}{RefundWorkflowInput.Separator}{fulfillmentId}";

    /// <summary>The child's case id prefix: the run's id and the part of the fulfillment id after the order id ("F2").</summary>
    public static string CaseIdPrefixFor(string runId, string orderId, string fulfillmentId)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        ArgumentNullException.ThrowIfNull(fulfillmentId);
        var own = fulfillmentId.StartsWith(orderId + "-", StringComparison.Ordinal) ? fulfillmentId[(orderId.Length + 1)..] : fulfillmentId;
        return $"{runId}-{own}";
    }
}
