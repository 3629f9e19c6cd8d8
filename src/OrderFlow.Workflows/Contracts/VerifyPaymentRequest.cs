using System.Text.Json.Serialization;
using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Asks the gateway to confirm the payment for an order covers the expected amount.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="PaymentReference">The payment the order names (a Stripe PaymentIntent id), if any.</param>
/// <param name="Expected">The amount the payment must cover.</param>
/// <param name="Then">
/// From <see cref="OrderWorkflowVersions.PaymentConfirmedWithVerification"/>: the PaymentConfirmed status written when the
/// payment is verified (its note is replaced by <see cref="PaymentVerification.ConfirmedNote"/>, what was verified); null
/// for earlier revisions, and then left out of the JSON so their inputs stay byte for byte the same.
/// </param>
/// <param name="ThenNotify">
/// From <see cref="OrderWorkflowVersions.StepsCarriedTogether"/>: the customer's OrderConfirmed email, sent once the
/// payment is verified and <paramref name="Then"/> written (never when it is not verified); whether it went out comes back
/// in <see cref="PaymentVerification.ConfirmationSent"/>. Null before, and left out of the JSON.
/// </param>
/// <param name="ThenScreen">
/// From <see cref="OrderWorkflowVersions.StepsCarriedTogether"/>: true when the verification also screens the order for
/// fraud once the payment is verified (after <paramref name="ThenNotify"/>), with the provider's risk level it just read;
/// the assessment comes back in <see cref="PaymentVerification.Fraud"/>. Null before, and left out of the JSON.
/// </param>
public sealed record VerifyPaymentRequest(
    string OrderId,
    string? PaymentReference,
    Money Expected,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StatusChange? Then = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CustomerNotification? ThenNotify = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ThenScreen = null);
