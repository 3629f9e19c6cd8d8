namespace OrderFlow.Domain.Orders;

/// <summary>Raised when code tries to move an order along a transition the state machine forbids.</summary>
public sealed class InvalidOrderTransitionException(OrderStatus from, OrderStatus to)
    : InvalidOperationException($"Order status cannot move from {from} to {to}.")
{
    public OrderStatus From { get; } = from;

    public OrderStatus To { get; } = to;
}
