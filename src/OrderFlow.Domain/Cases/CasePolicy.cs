namespace OrderFlow.Domain.Cases;

/// <summary>The resolutions a reason allows and what happens when nobody answers before the deadline.</summary>
public static class CasePolicy
{
    public static IReadOnlyList<CaseResolution> AllowedResolutions(ExceptionReason reason) => reason switch
    {
        ExceptionReason.FraudReview => [CaseResolution.Approve, CaseResolution.Cancel],
        ExceptionReason.OrderInvalid => [CaseResolution.RetryStep, CaseResolution.Cancel],

        // The address can be corrected right in the decision, or fixed elsewhere and the validation retried.
        ExceptionReason.AddressInvalid => [CaseResolution.CorrectAddress, CaseResolution.RetryStep, CaseResolution.Cancel],
        ExceptionReason.PaymentFailed => [CaseResolution.RetryStep, CaseResolution.Cancel],
        ExceptionReason.OutOfStock => [CaseResolution.RetryStep, CaseResolution.Cancel],

        // An activity that exhausted its retries: run it again once the cause is fixed, or cancel the order.
        ExceptionReason.UnhandledStepFailure => [CaseResolution.RetryStep, CaseResolution.Cancel],

        // The order went on without the email; a person reaches the customer another way and acknowledges.
        ExceptionReason.NotificationFailed => [CaseResolution.Approve],

        ExceptionReason.SubstitutionApproval => [CaseResolution.Approve, CaseResolution.Cancel],

        // The location refused the fulfillment: try it again once the cause is cleared, or drop it.
        ExceptionReason.FulfillmentRejected => [CaseResolution.RetryStep, CaseResolution.Cancel],

        // Books and payments disagree; the order itself is done, a person acknowledges the correction.
        ExceptionReason.ReconciliationMismatch => [CaseResolution.Approve],

        // A refused refund: try again (a new provider request) once the cause is cleared, or give up on the refund.
        ExceptionReason.RefundFailed => [CaseResolution.RetryStep, CaseResolution.Cancel],

        // The parcel is late: keep waiting another receive deadline, or close the return.
        ExceptionReason.ReturnNotReceived => [CaseResolution.RetryStep, CaseResolution.Cancel],

        // The parcel shipped; a person corrects the SKU's stock (PUT/audit) and acknowledges.
        ExceptionReason.StockCommitMismatch => [CaseResolution.Approve],

        // No workflow waits: a person contacts the carrier or customer (reship, refund through their own routes) and acknowledges.
        ExceptionReason.DeliveryException => [CaseResolution.Approve],

        // The merchant fixes the order in the channel (which sends it again) and acknowledges.
        ExceptionReason.IntakeRejected => [CaseResolution.Approve],

        // Opened by the watchdog, not by a waiting workflow: restart from the recorded progress, cancel the order, or
        // acknowledge (Approve) when a person has dealt with it some other way or it is legitimately slow.
        ExceptionReason.WorkflowFailed or ExceptionReason.Stuck => [CaseResolution.RetryStep, CaseResolution.Cancel, CaseResolution.Approve],

        // The order went on: a person claims the label cost from the carrier, or settles with the location, and acknowledges.
        ExceptionReason.LabelVoidRejected or ExceptionReason.LocationCancelUnconfirmed => [CaseResolution.Approve],
        // No workflow waits: a person fixes the channel's credentials or data (the pusher keeps retrying) and acknowledges.
        ExceptionReason.ChannelSyncFailed => [CaseResolution.Approve],
        _ => [CaseResolution.RetryStep, CaseResolution.Approve, CaseResolution.Cancel],
    };

    /// <summary>Applied at the last deadline. Cancelling releases stock; nothing ships that a person did not clear.</summary>
    public static CaseResolution DefaultOnTimeout(ExceptionReason reason) => reason switch
    {
        ExceptionReason.AccountingSyncFailed or ExceptionReason.NotificationFailed or ExceptionReason.ReconciliationMismatch
            or ExceptionReason.StockCommitMismatch or ExceptionReason.DeliveryException or ExceptionReason.IntakeRejected
            or ExceptionReason.LabelVoidRejected or ExceptionReason.LocationCancelUnconfirmed
            or ExceptionReason.ChannelSyncFailed => CaseResolution.Approve,

        // No workflow waits on a watchdog case, so nothing applies a default; were one applied, it must be the harmless
        // acknowledge: a stuck order is never cancelled without a person.
        ExceptionReason.WorkflowFailed or ExceptionReason.Stuck => CaseResolution.Approve,
        _ => CaseResolution.Cancel,
    };
}
