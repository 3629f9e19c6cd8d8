namespace OrderFlow.Api.Models;

/// <summary>Answer to a payment provider event: accepted (relayed), pending (order not known yet), ignored or duplicate.</summary>
public sealed record PaymentEventResponse(string EventId, string Status, string? OrderId);
