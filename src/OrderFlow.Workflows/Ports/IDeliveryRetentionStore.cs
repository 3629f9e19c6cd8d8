using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>Ends the retention of inbound delivery payloads, which can carry customer PII.</summary>
public interface IDeliveryRetentionStore
{
    /// <summary>
    /// Accepted deliveries received before <paramref name="receivedBefore"/> lose their payload and captured order (outcome,
    /// ids, and the payload's hash and size stay); rejected deliveries received before it are deleted.
    /// </summary>
    Task<DeliveryPurgeResult> PurgePayloadsAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken = default);
}
