namespace OrderFlow.Domain.Orders;

/// <summary>Where an order is in its lifecycle. Transitions are governed by <see cref="OrderStatusMachine"/>.</summary>
public enum OrderStatus
{
    Received,
    Validated,
    PaymentConfirmed,
    Reserved,
    InFulfillment,
    PartiallyFulfilled,
    Fulfilled,
    OnHold,
    Cancelled,

    /// <summary>Nothing (more) can ship until backordered units arrive; appended last: history stores the number.</summary>
    Backordered,
}
