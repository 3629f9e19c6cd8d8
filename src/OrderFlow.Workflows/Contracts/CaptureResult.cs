using System.Text.Json.Serialization;
using OrderFlow.Domain.Common;

namespace OrderFlow.Workflows.Contracts;

/// <summary>The outcome of a capture.</summary>
/// <param name="SalePosted">From <see cref="OrderWorkflowVersions.StepsCarriedTogether"/>: true when the capture was
/// accepted and the sale the request carried (<see cref="CapturePaymentRequest.Sale"/>) was posted with it; false when it
/// carried none, the capture was refused or the posting failed (the workflow then posts the sale as its own step).
/// Written only when true, so outputs recorded before it existed stay byte for byte the same.</param>
public sealed record CaptureResult(
    bool Captured,
    Money Amount,
    string? ProviderReference,
    string? FailureReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool SalePosted = false);
