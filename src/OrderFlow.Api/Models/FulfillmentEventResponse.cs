namespace OrderFlow.Api.Models;

/// <summary>
/// Answer to a location's fulfillment callback: accepted (passed to the order's workflow), recorded ("picked": noted
/// on the order only) or duplicate (this event was processed before; nothing was done again).
/// </summary>
public sealed record FulfillmentEventResponse(string EventId, string Status, string OrderId, string FulfillmentId);
