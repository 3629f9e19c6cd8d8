using OrderFlow.Domain.Orders;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Fulfillment;

/// <summary>What a partner location needs to pack and ship one fulfillment, and where to confirm it.</summary>
public sealed record FulfillmentHandoff(
    FulfillmentDispatch Dispatch,
    Address ShipTo,
    string? Carrier,
    string? TrackingNumber,
    string? LabelUrl,
    string CallbackUrl);
