using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// The location's word on a fulfillment (external event payload): shipped, rejected, or short with the lines it could
/// not pack (<see cref="ShortLines"/>, for re-routing), or cancelled (it stopped the fulfillment when told to). "picked" is
/// recorded on the order, never sent to the workflow.
/// </summary>
public sealed record FulfillmentConfirmation(
    string FulfillmentId,
    string Status,
    DateTimeOffset? OccurredAt,
    string? Reason,
    IReadOnlyList<FulfillmentLine>? ShortLines = null)
{
    public const string Shipped = "shipped";
    public const string Rejected = "rejected";
    public const string Short = "short";
    public const string Picked = "picked";

    /// <summary>The location stopped the fulfillment after it was told to cancel it (nothing left).</summary>
    public const string Cancelled = "cancelled";

    /// <summary>External event name a workflow waits on for one fulfillment.</summary>
    public static string EventName(string fulfillmentId) => $"FulfillmentConfirmed-{fulfillmentId}";
}
