namespace OrderFlow.Workflows.Contracts;

/// <summary>The content an order id was first received with: its hash and the delivery that carried it.</summary>
public sealed record OrderContentClaim(string OrderId, string ContentHash, string DeliveryId);
