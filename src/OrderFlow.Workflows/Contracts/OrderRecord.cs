using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Contracts;

/// <summary>An order as stored: the canonical order, its status, fulfillments and timeline.</summary>
public sealed record OrderRecord(
    Order Order,
    OrderStatus Status,
    IReadOnlyList<FulfillmentRecord> Fulfillments,
    IReadOnlyList<TimelineEntry> Timeline);
