namespace OrderFlow.Workflows.Contracts;

/// <summary>One customer message, unique per (order, milestone, fulfillment).</summary>
public sealed record CustomerNotification(string OrderId, Milestone Milestone, string? FulfillmentId)
{
    public string Key => FulfillmentId is null ? $"{OrderId}:{Milestone}" : $"{OrderId}:{Milestone}:{FulfillmentId}";
}
