namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Moments the customer hears about. Workflow history stores these as numbers: append new values at the end, never
/// reorder or remove one.
/// </summary>
public enum Milestone
{
    /// <summary>Payment verified; the order is going ahead (the order confirmation).</summary>
    OrderConfirmed,

    /// <summary>One parcel left a location (per fulfillment; split orders get one per parcel).</summary>
    Shipped,

    /// <summary>
    /// The order is held: for review (no reason; the wording never says why), or with reason "out-of-stock" or
    /// "address" for a stock shortage or an address being checked.
    /// </summary>
    OnHold,

    /// <summary>The order will not ship; optional details say what was refunded.</summary>
    Cancelled,

    /// <summary>Payment could not be confirmed; the customer is asked to check it.</summary>
    PaymentProblem,

    /// <summary>Some items wait for stock; optional details name them and the expected date.</summary>
    Backordered,

    /// <summary>An item was replaced; optional details say with what and why.</summary>
    Substituted,

    /// <summary>Fulfillment or carrier is late against the promise; optional fulfillment and details.</summary>
    Delayed,

    /// <summary>A parcel is out for delivery (per fulfillment).</summary>
    OutForDelivery,

    /// <summary>A parcel was delivered (per fulfillment).</summary>
    Delivered,

    /// <summary>A return arrived at a location; optional details name the items.</summary>
    ReturnReceived,

    /// <summary>Money went back to the customer; optional details carry the amount and items.</summary>
    Refunded,

    /// <summary>The order left a hold the customer was told of (OnHold) and goes on; optional reason as that OnHold's.</summary>
    Resumed,
}
