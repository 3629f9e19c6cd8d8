using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Tells the location holding a handed-off fulfillment to stop it (no customer data: adapters load what they need).
/// <see cref="IdempotencyKey"/> derives from the order id and the fulfillment id, so a retried call is one request.
/// </summary>
public sealed record FulfillmentCancellation(
    string OrderId,
    string FulfillmentId,
    string Location,
    IReadOnlyList<FulfillmentLine> Lines,
    string? TrackingNumber,
    string Reason,
    string IdempotencyKey);
