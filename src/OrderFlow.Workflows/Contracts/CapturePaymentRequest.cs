using System.Text.Json.Serialization;
using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Captures part of an authorized payment for one confirmed shipment. <see cref="Note"/>, when set, is written to the
/// order's timeline with the outcome (it explains a capture that is not one parcel's value; written only when set).
/// </summary>
/// <param name="Sale">From <see cref="OrderWorkflowVersions.StepsCarriedTogether"/>: the sale entry (with its final
/// status, <see cref="SaleEntry.Then"/>) posted right after the capture is accepted, when this is the order's only capture
/// and nothing runs between it and the posting; never sent to the payment provider. Null (and not serialized) otherwise.</param>
public sealed record CapturePaymentRequest(
    string OrderId,
    string PaymentReference,
    Money Amount,
    bool FinalCapture,
    string IdempotencyKey,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SaleEntry? Sale = null);
