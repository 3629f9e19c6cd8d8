using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>Tells the location a fulfillment was handed to that it is cancelled (one adapter per location kind).</summary>
public interface IFulfillmentCanceller
{
    /// <summary>The location's answer; the same idempotency key is one request to the location.</summary>
    Task<LocationCancelAnswer> CancelAsync(FulfillmentCancellation cancellation, CancellationToken cancellationToken = default);
}
