namespace OrderFlow.Domain.Fraud;

/// <summary>Store-configured fraud thresholds.</summary>
public sealed record FraudThresholds(long HighValueMinorUnits = 100_000_00, int HighQuantityUnits = 50, int ReviewScore = 70);
