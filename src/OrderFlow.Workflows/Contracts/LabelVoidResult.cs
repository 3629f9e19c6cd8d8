namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// The carrier's answer to a label void, in EasyPost's refund_status words: <see cref="Submitted"/> or
/// <see cref="Refunded"/> (the cost comes back), <see cref="NotApplicable"/> (a bill-on-scan label: never charged), or
/// <see cref="Rejected"/> (the cost stays charged: a person must claim it).
/// </summary>
public sealed record LabelVoidResult(string Status, string? Detail = null)
{
    public const string Submitted = "submitted";
    public const string Refunded = "refunded";
    public const string Rejected = "rejected";
    public const string NotApplicable = "not_applicable";

    /// <summary>True unless the carrier refused: the label costs nothing once the refund is processed.</summary>
    public bool Voided => Status is Submitted or Refunded or NotApplicable;
}
