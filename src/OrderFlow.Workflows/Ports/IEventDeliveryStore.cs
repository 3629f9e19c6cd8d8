using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Ports;

/// <summary>Inbound deliveries that carry no order (payment provider events), deduped by delivery id in the same store.</summary>
public interface IEventDeliveryStore
{
    /// <summary>Records an accepted delivery under (source, delivery id). False when the id was seen before.</summary>
    Task<bool> TryRecordAcceptedEventAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default);
}
