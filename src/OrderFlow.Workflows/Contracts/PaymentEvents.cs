namespace OrderFlow.Workflows.Contracts;

/// <summary>The payment provider events relayed to order workflows, and the external event names they travel under.</summary>
public static class PaymentEvents
{
    public const string PaymentIntentSucceeded = "payment_intent.succeeded";
    public const string PaymentIntentPaymentFailed = "payment_intent.payment_failed";
    public const string ChargeRefunded = "charge.refunded";
    public const string ChargeDisputeCreated = "charge.dispute.created";
    public const string EventNamePrefix = "PaymentEvent-";

    public static IReadOnlyList<string> Relayed { get; } = [PaymentIntentSucceeded, PaymentIntentPaymentFailed, ChargeRefunded, ChargeDisputeCreated];

    /// <summary>The external event name a workflow waits for, e.g. "PaymentEvent-charge.refunded".</summary>
    public static string EventName(string type) => EventNamePrefix + type;
}
