namespace OrderFlow.Workflows.Contracts;

/// <summary>The location's word that a fulfillment left the building (external event payload).</summary>
public sealed record FulfillmentConfirmation(string FulfillmentId, string Status, DateTimeOffset? OccurredAt, string? Reason)
{
    public const string Shipped = "shipped";
    public const string Rejected = "rejected";

    /// <summary>External event name a workflow waits on for one fulfillment.</summary>
    public static string EventName(string fulfillmentId) => $"FulfillmentConfirmed-{fulfillmentId}";
}
