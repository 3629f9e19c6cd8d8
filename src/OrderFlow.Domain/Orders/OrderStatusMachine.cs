namespace OrderFlow.Domain.Orders;

/// <summary>The explicit, closed set of allowed order status transitions.</summary>
public static class OrderStatusMachine
{
    private static readonly Dictionary<OrderStatus, OrderStatus[]> Allowed = new()
    {
        [OrderStatus.Received] = [OrderStatus.Validated, OrderStatus.OnHold, OrderStatus.Cancelled],
        [OrderStatus.Validated] = [OrderStatus.PaymentConfirmed, OrderStatus.OnHold, OrderStatus.Cancelled],
        [OrderStatus.PaymentConfirmed] = [OrderStatus.Reserved, OrderStatus.OnHold, OrderStatus.Cancelled],
        [OrderStatus.Reserved] = [OrderStatus.InFulfillment, OrderStatus.Backordered, OrderStatus.OnHold, OrderStatus.Cancelled],
        [OrderStatus.Backordered] = [OrderStatus.InFulfillment, OrderStatus.OnHold, OrderStatus.Cancelled],
        [OrderStatus.InFulfillment] = [OrderStatus.Backordered, OrderStatus.PartiallyFulfilled, OrderStatus.Fulfilled, OrderStatus.OnHold, OrderStatus.Cancelled],
        // Partly shipped with the rest backordered: the next wave goes back into fulfillment.
        [OrderStatus.PartiallyFulfilled] = [OrderStatus.Fulfilled, OrderStatus.InFulfillment, OrderStatus.OnHold, OrderStatus.Cancelled],
        // A hold is released back into the step it interrupted, or ends in cancellation.
        [OrderStatus.OnHold] = [OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment, OrderStatus.Backordered, OrderStatus.PartiallyFulfilled, OrderStatus.Cancelled],
        [OrderStatus.Fulfilled] = [],
        [OrderStatus.Cancelled] = [],
    };

    public static bool CanTransition(OrderStatus from, OrderStatus to) => Allowed[from].Contains(to);

    public static IReadOnlyList<OrderStatus> NextFrom(OrderStatus from) => Allowed[from];

    public static bool IsTerminal(OrderStatus status) => Allowed[status].Length == 0;

    /// <summary>Returns <paramref name="to"/> or throws when the move is not allowed.</summary>
    public static OrderStatus Transition(OrderStatus from, OrderStatus to) =>
        from == to || CanTransition(from, to)
            ? to
            : throw new InvalidOrderTransitionException(from, to);
}
