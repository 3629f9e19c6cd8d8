using System.Text.Json.Serialization;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Fraud;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// What the provider says about the order's payment. Verified means paid (or authorized) for the exact amount.
/// <see cref="Multicapture"/> says whether an authorization can be captured more than once: true when the provider
/// confirmed it (Stripe: the charge's <c>payment_method_details.card.multicapture.status</c> is <c>available</c>), false
/// when the first capture ends it, null when not known (channel-held payments, and histories recorded before it
/// existed; written only when set, so older outputs stay byte for byte the same). <see cref="ConfirmationSent"/> is set by
/// <c>VerifyPaymentActivity</c>, never by a gateway: true when it sent the OrderConfirmed email the request carried
/// (<see cref="VerifyPaymentRequest.ThenNotify"/>), null otherwise (then the workflow sends it as a step of its own).
/// <see cref="Fraud"/> likewise: the fraud screening it carried (<see cref="VerifyPaymentRequest.ThenScreen"/>), null when
/// it did not screen (then the workflow screens as a step of its own).
/// </summary>
public sealed record PaymentVerification(
    PaymentState State,
    Money? Amount,
    string? RiskLevel,
    string? FailureReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Multicapture = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ConfirmationSent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FraudAssessment? Fraud = null)
{
    public bool Verified => State is PaymentState.Succeeded or PaymentState.RequiresCapture && FailureReason is null;

    /// <summary>The PaymentConfirmed status note on the order's timeline: what was verified.</summary>
    public string ConfirmedNote() => $"Payment {this.State} for {this.Amount}.";

    /// <summary>True when the provider said the authorization is finalised by its first capture (not merely unknown).</summary>
    [JsonIgnore]
    public bool CapturesOnce => State == PaymentState.RequiresCapture && Multicapture == false;
}
