namespace OrderFlow.EndToEnd.Tests.Contracts;

/// <summary>The pick list a location reads from its queue (JSON, camelCase).</summary>
public sealed record PickList(string OrderId, string FulfillmentId, string Location, IReadOnlyList<FulfillmentLineResponse> Lines, string? TrackingNumber, string IdempotencyKey, string? Kind = null, string? Reason = null);
