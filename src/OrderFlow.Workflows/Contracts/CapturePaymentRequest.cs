using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>Captures part of an authorized payment for one confirmed shipment.</summary>
public sealed record CapturePaymentRequest(string OrderId, string PaymentReference, Money Amount, bool FinalCapture, string IdempotencyKey);
