using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// The location's word on a fulfillment (external event payload): shipped, rejected, or short with the lines it could
/// not pack (<see cref="ShortLines"/>, for re-routing). "picked" is recorded on the order, never sent to the workflow.
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

    /// <summary>External event name a workflow waits on for one fulfillment.</summary>
    public static string EventName(string fulfillmentId) => $"FulfillmentConfirmed-{fulfillmentId}";
}
