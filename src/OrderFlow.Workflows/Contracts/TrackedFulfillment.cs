namespace OrderFlow.Workflows.Contracts;

/// <summary>Where a tracking number leads: the order and the fulfillment whose label carries it.</summary>
public sealed record TrackedFulfillment(string OrderId, string FulfillmentId);
