namespace OrderFlow.Workflows.Contracts;

/// <summary>Outcomes recorded for inbound deliveries.</summary>
public static class DeliveryOutcomes
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string RejectedSignature = "rejected-signature";
    public const string RejectedMalformed = "rejected-malformed";

    /// <summary>Verified and kept, but it names nothing we know (e.g. a tracking number no fulfillment carries).</summary>
    public const string Unmatched = "unmatched";
}
