namespace OrderFlow.Api.Models;

/// <summary>
/// Answer to a carrier tracking event: applied, unchanged (already there), stale (recorded, not applied: status only
/// moves forward), ignored (not a tracking status we follow), unmatched (no fulfillment has that tracking number) or duplicate.
/// </summary>
public sealed record CarrierEventResponse(string EventId, string Status, string? OrderId, string? FulfillmentId);
