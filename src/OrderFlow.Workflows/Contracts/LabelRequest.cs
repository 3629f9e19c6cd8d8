using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Everything a carrier needs to sell a label for one fulfillment.</summary>
public sealed record LabelRequest(string OrderId, string FulfillmentId, string FromLocation, Address ShipTo, IReadOnlyList<FulfillmentLine> Lines, string IdempotencyKey);
