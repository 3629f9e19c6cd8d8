namespace OrderFlow.Domain.Fraud;

/// <summary>
/// The fraud score (0-100), the reasons that contributed (each with its points; never customer data), and whether the
/// order must be held for review. <see cref="Outcome"/> refines the hold: Review, or Cancel when the score reached the
/// cancel threshold (the FraudReview case then recommends Cancel). Assessments recorded before the outcome existed
/// read as Approve; the workflow only ever acts on <see cref="HoldForReview"/>.
/// </summary>
public sealed record FraudAssessment(int Score, IReadOnlyList<string> Reasons, bool HoldForReview)
{
    public FraudOutcome Outcome { get; init; } = HoldForReview ? FraudOutcome.Review : FraudOutcome.Approve;
}

/// <summary>Where the score lands against the thresholds.</summary>
public enum FraudOutcome
{
    Approve,
    Review,
    Cancel,
}
