namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// One inbound delivery, accepted or rejected, kept with its raw payload so nothing is ever lost.
/// </summary>
public sealed record WebhookDelivery(
    string Source,
    string DeliveryId,
    string Topic,
    DateTimeOffset ReceivedAt,
    string Outcome,
    string? Reason,
    string? OrderId,
    string RawPayload)
{
    /// <summary>SHA-256 (hex) of the canonical order an accepted order delivery carried; null for other deliveries.</summary>
    public string? ContentHash { get; init; }
}
