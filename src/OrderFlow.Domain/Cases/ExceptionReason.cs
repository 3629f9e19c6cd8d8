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
}
