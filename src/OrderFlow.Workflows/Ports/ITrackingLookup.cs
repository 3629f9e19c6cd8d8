using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>Finds the fulfillment a carrier tracking number belongs to (indexed when a fulfillment with a label is stored).</summary>
public interface ITrackingLookup
{
    /// <summary>The order and fulfillment carrying this tracking number; null when no stored fulfillment has it.</summary>
    Task<TrackedFulfillment?> FindByTrackingAsync(string trackingNumber, CancellationToken cancellationToken = default);
}
