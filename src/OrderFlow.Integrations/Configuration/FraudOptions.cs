using OrderFlow.Domain.Fraud;

namespace OrderFlow.Integrations.Configuration;

/// <summary>Fraud thresholds, section "Fraud"; defaults are the domain's.</summary>
public sealed class FraudOptions
{
    public const string Section = "Fraud";

    private static readonly FraudThresholds Defaults = new();

    public long HighValueMinorUnits { get; set; } = Defaults.HighValueMinorUnits;

    public int HighQuantityUnits { get; set; } = Defaults.HighQuantityUnits;

    public int ReviewScore { get; set; } = Defaults.ReviewScore;

    public FraudThresholds ToThresholds() => new(HighValueMinorUnits, HighQuantityUnits, ReviewScore);
}
