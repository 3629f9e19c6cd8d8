namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// One inbound delivery, accepted or rejected. Accepted ones keep their raw payload until the retention window ends;
/// rejected ones (unauthenticated, so anyone can send them) keep only a bounded prefix plus the hash and size of the whole.
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

    /// <summary>SHA-256 (lowercase hex) of the payload's UTF-8 bytes as received, once the stored payload is cut or purged.</summary>
    public string? PayloadSha256 { get; init; }

    /// <summary>Size in UTF-8 bytes of the payload as received, once the stored payload is cut or purged.</summary>
    public long? PayloadBytes { get; init; }
}
