namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>A fulfillment with its tracking.</summary>
public sealed record FulfillmentResponse(string FulfillmentId, string Location, string Status, IReadOnlyList<FulfillmentLineResponse> Lines, string? Carrier, string? TrackingNumber, string? TrackingUrl);
