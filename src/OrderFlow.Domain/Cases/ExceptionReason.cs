namespace OrderFlow.Domain.Cases;

/// <summary>Why an order needs a person. Each reason declares its allowed resolutions and default policy.</summary>
public enum ExceptionReason
{
    OrderInvalid,
    AddressInvalid,
    PaymentFailed,
    FraudReview,
    OutOfStock,
    CarrierError,
    FulfillmentTimeout,
    PaymentCaptureFailed,
    AccountingSyncFailed,
    NotificationFailed,
    UnhandledStepFailure,
    SubstitutionApproval,
    FulfillmentRejected,
    ReconciliationMismatch,

    /// <summary>The payment provider refused a refund (or a void); appended last: history stores the number.</summary>
    RefundFailed,

    /// <summary>An authorized return did not arrive at a location before its deadline.</summary>
    ReturnNotReceived,

    /// <summary>A shipment's stock commit moved fewer units than shipped (the reservation did not hold them).</summary>
    StockCommitMismatch,

    /// <summary>The carrier reported a failed delivery (failure, return to sender, error) after the parcel shipped.</summary>
    DeliveryException,

    /// <summary>A signed channel delivery that could not be mapped to an order (the payload is kept with the delivery).</summary>
    IntakeRejected,

    /// <summary>The watchdog found the order's workflow Failed or Terminated (it will not move by itself).</summary>
    WorkflowFailed,

    /// <summary>The watchdog found the order's status unchanged for longer than that status allows (Watchdog:StuckAfter).</summary>
    Stuck,

    /// <summary>The carrier refused to void (refund) the label of a fulfillment that did not ship: its cost is still charged.</summary>
    LabelVoidRejected,

    /// <summary>A location told to cancel a fulfillment did not confirm it stopped (or shipped) before the deadline.</summary>
    LocationCancelUnconfirmed,

    /// <summary>Stock levels could not be pushed to a sales channel for longer than Channels:FailureCaseAfter.</summary>
    ChannelSyncFailed,
}
