using System.Text.Json.Serialization;
using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Captures part of an authorized payment for one confirmed shipment. <see cref="Note"/>, when set, is written to the
/// order's timeline with the outcome (it explains a capture that is not one parcel's value; written only when set).
/// </summary>
public sealed record CapturePaymentRequest(
    string OrderId,
    string PaymentReference,
    Money Amount,
    bool FinalCapture,
    string IdempotencyKey,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note = null);
