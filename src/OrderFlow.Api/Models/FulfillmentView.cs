using OrderFlow.Domain.Routing;

namespace OrderFlow.Api.Models;

/// <summary>A fulfillment with its tracking.</summary>
public sealed record FulfillmentView(string FulfillmentId, string Location, string Status, IReadOnlyList<FulfillmentLine> Lines, string? Carrier, string? TrackingNumber, string? TrackingUrl, string? HoldReason = null);
