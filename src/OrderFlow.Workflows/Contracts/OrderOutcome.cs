using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Contracts;

/// <summary>The workflow's result: the final status and a one-line explanation.</summary>
public sealed record OrderOutcome(string OrderId, OrderStatus Status, string Summary);
