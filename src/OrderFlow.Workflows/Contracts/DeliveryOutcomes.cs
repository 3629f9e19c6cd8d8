namespace OrderFlow.Workflows.Contracts;

/// <summary>Outcomes recorded for inbound deliveries.</summary>
public static class DeliveryOutcomes
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string RejectedSignature = "rejected-signature";
    public const string RejectedMalformed = "rejected-malformed";

    /// <summary>A delivery id or order id seen before with different content: refused (409), never answered "duplicate".</summary>
    public const string RejectedConflict = "rejected-conflict";

    /// <summary>Signed, but it could not be mapped to an order (missing shipping address, bad fields): kept whole, with a case.</summary>
    public const string RejectedUnmappable = "rejected-unmappable";

    /// <summary>Verified and kept, but it names nothing we know (e.g. a tracking number no fulfillment carries).</summary>
    public const string Unmatched = "unmatched";
}
