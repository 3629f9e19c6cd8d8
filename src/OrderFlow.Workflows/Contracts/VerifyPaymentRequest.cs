using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Asks the gateway to confirm the payment for an order covers the expected amount.</summary>
public sealed record VerifyPaymentRequest(string OrderId, string? PaymentReference, Money Expected);
