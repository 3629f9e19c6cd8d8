namespace OrderFlow.Domain.Fraud;

/// <summary>The fraud score (0-100), the reasons that contributed, and whether the order must be held for review.</summary>
public sealed record FraudAssessment(int Score, IReadOnlyList<string> Reasons, bool HoldForReview);
