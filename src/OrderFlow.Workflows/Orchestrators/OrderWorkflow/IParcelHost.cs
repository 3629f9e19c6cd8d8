using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Orchestrators.OrderWorkflow;

/// <summary>
/// What one parcel's path (<see cref="ParcelFlow"/>) needs from the workflow it runs in: the order workflow itself
/// (<see cref="FulfillmentWaves"/>, before <see cref="Contracts.OrderWorkflowVersions.FulfillmentAsChild"/> and for a
/// one-parcel order from <see cref="Contracts.OrderWorkflowVersions.SingleParcelInline"/>), or a
/// Fulfillment child (<see cref="ParcelParentLink"/>), which asks its order workflow.
/// </summary>
internal interface IParcelHost
{
    /// <summary>Waits for an event or the timeout; null at the deadline (or, when <paramref name="stoppable"/>, when the order stopped the parcel).</summary>
    Task<T?> WaitAsync<T>(string eventName, TimeSpan timeout, bool stoppable)
        where T : class;

    /// <summary>The order's payment checkpoint (before the hand-off).</summary>
    Task CheckPaymentAsync(string step);

    /// <summary>Moves <paramref name="lines"/> of <paramref name="plan"/> to locations that have them: the fulfillments planned there and the lines nobody else has.</summary>
    Task<(IReadOnlyList<PlannedFulfillment> Plans, IReadOnlyList<FulfillmentLine> Unmoved)> RerouteAsync(PlannedFulfillment plan, IReadOnlyList<FulfillmentLine> lines);

    /// <summary>A whole-order cancellation after a shipment stopped the unshipped parcels.</summary>
    bool Stopped { get; }

    /// <summary>A cancellation request is behind the stop (a parcel that left anyway is emailed as too late to stop).</summary>
    bool CancellationRequested { get; }

    /// <summary>The parcel is about to be treated as shipped.</summary>
    void Shipping();
}
