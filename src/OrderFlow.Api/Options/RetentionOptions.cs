using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Api.Options;

/// <summary>How long inbound payloads that can carry customer PII are kept (section "Retention").</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>
    /// Days an inbound delivery keeps its payload: after that an accepted delivery's payload and captured order are cleared
    /// (outcome, ids, hash and size stay) and a rejected delivery is deleted.
    /// </summary>
    [Range(1, 3650, ErrorMessage = "Retention:DeliveryPayloadDays must be a whole number of days between 1 and 3650.")]
    public int DeliveryPayloadDays { get; set; } = 90;
}
