using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Contracts;

/// <summary>A fulfillment as stored on the order (what the API shows); <see cref="HoldReason"/> names the case holding it (status "on-hold").</summary>
public sealed record FulfillmentRecord(
    string FulfillmentId,
    string Location,
    IReadOnlyList<FulfillmentLine> Lines,
    string Status,
    string? Carrier,
    string? TrackingNumber,
    string? TrackingUrl,
    string? LabelUrl,
    string? HoldReason = null);
