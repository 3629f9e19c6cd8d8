using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Moves an order to a new status and writes a timeline entry.</summary>
public sealed record StatusChange(string OrderId, OrderStatus Status, string Note);
