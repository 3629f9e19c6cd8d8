using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Contracts;

/// <summary>What the order store holds about an order's progress (no customer data): its status and fulfillments.</summary>
public sealed record RecordedProgress(OrderStatus Status, IReadOnlyList<FulfillmentRecord> Fulfillments);
