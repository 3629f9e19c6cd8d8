namespace OrderFlow.Workflows.Contracts;

/// <summary>Voids (refunds) the label bought for a fulfillment that will not ship; the same key asks once.</summary>
public sealed record LabelVoidRequest(string OrderId, string FulfillmentId, string TrackingNumber, string IdempotencyKey);
