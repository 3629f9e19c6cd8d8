using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Contracts;

/// <summary>An order and the status it has held since its last update (status change or address correction).</summary>
public sealed record OrderInStatus(string OrderId, OrderStatus Status, DateTimeOffset Since);
