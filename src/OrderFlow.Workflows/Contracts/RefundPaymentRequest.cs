using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Money back to the customer: <see cref="Amount"/> of what was captured is refunded; an authorization that was never
/// captured is released (voided) instead. Once per <see cref="IdempotencyKey"/> (instance id + step).
/// </summary>
public sealed record RefundPaymentRequest(string OrderId, string PaymentReference, Money Amount, string Reason, string IdempotencyKey);

/// <summary>What the provider did: refunded (or voided) <see cref="Amount"/>, or why it refused.</summary>
public sealed record RefundResult(bool Succeeded, Money Amount, string? ProviderReference, string? FailureReason, bool Voided = false);
