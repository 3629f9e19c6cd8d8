using OrderFlow.Domain.Fraud;

namespace OrderFlow.Integrations.Configuration;

/// <summary>Fraud screening rules, section "Fraud"; defaults are the domain's (<see cref="FraudThresholds"/>).</summary>
public sealed class FraudOptions
{
    public const string Section = "Fraud";

    private static readonly FraudThresholds Defaults = new();

    public long HighValueMinorUnits { get; set; } = Defaults.HighValueMinorUnits;

    public int HighQuantityUnits { get; set; } = Defaults.HighQuantityUnits;

    /// <summary>A score at or above this holds the order for review (FraudReview case).</summary>
    public int ReviewScore { get; set; } = Defaults.ReviewScore;

    /// <summary>A score at or above this holds the order with Cancel as the case's recommended answer; at least ReviewScore.</summary>
    public int CancelScore { get; set; } = Defaults.CancelScore;

    public TimeSpan VelocityWindow { get; set; } = Defaults.VelocityWindow;

    public int VelocityOrderLimit { get; set; } = Defaults.VelocityOrderLimit;

    public int FailedPaymentLimit { get; set; } = Defaults.FailedPaymentLimit;

    public int HistoryValueMultiple { get; set; } = Defaults.HistoryValueMultiple;

    /// <summary>SKUs that add the HighRiskSku weight (Fraud:HighRiskSkus:0, :1, ...).</summary>
    public List<string> HighRiskSkus { get; set; } = [];

    /// <summary>Case-insensitive regular expressions on the shipping street lines; unset: the built-in forwarder / PO box list.</summary>
    public List<string>? ForwarderPatterns { get; set; }

    public FraudWeightOptions Weights { get; set; } = new();

    public FraudThresholds ToThresholds() => new(HighValueMinorUnits, HighQuantityUnits, ReviewScore)
    {
        CancelScore = CancelScore,
        VelocityWindow = VelocityWindow,
        VelocityOrderLimit = VelocityOrderLimit,
        FailedPaymentLimit = FailedPaymentLimit,
        HistoryValueMultiple = HistoryValueMultiple,
        HighRiskSkus = HighRiskSkus.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToArray(),
        ForwarderPatterns = ForwarderPatterns is { Count: > 0 } patterns ? patterns.ToArray() : FraudThresholds.DefaultForwarderPatterns,
        Weights = Weights.ToWeights(),
    };
}

/// <summary>Points per signal, section "Fraud:Weights"; each 0-100 (0 turns the signal off).</summary>
public sealed class FraudWeightOptions
{
    private static readonly FraudWeights Defaults = new();

    public int ProviderHighest { get; set; } = Defaults.ProviderHighest;
    public int ProviderElevated { get; set; } = Defaults.ProviderElevated;
    public int ChannelHigh { get; set; } = Defaults.ChannelHigh;
    public int ChannelMedium { get; set; } = Defaults.ChannelMedium;
    public int HighValue { get; set; } = Defaults.HighValue;
    public int AboveCustomerAverage { get; set; } = Defaults.AboveCustomerAverage;
    public int HighQuantity { get; set; } = Defaults.HighQuantity;
    public int FirstOrder { get; set; } = Defaults.FirstOrder;
    public int CountryMismatch { get; set; } = Defaults.CountryMismatch;
    public int ForwarderAddress { get; set; } = Defaults.ForwarderAddress;
    public int Velocity { get; set; } = Defaults.Velocity;
    public int HighRiskSku { get; set; } = Defaults.HighRiskSku;
    public int FailedPayments { get; set; } = Defaults.FailedPayments;

    /// <summary>Every weight with its configuration key, for validation.</summary>
    public IEnumerable<(string Key, int Value)> All() =>
    [
        ("Fraud:Weights:ProviderHighest", ProviderHighest),
        ("Fraud:Weights:ProviderElevated", ProviderElevated),
        ("Fraud:Weights:ChannelHigh", ChannelHigh),
        ("Fraud:Weights:ChannelMedium", ChannelMedium),
        ("Fraud:Weights:HighValue", HighValue),
        ("Fraud:Weights:AboveCustomerAverage", AboveCustomerAverage),
        ("Fraud:Weights:HighQuantity", HighQuantity),
        ("Fraud:Weights:FirstOrder", FirstOrder),
        ("Fraud:Weights:CountryMismatch", CountryMismatch),
        ("Fraud:Weights:ForwarderAddress", ForwarderAddress),
        ("Fraud:Weights:Velocity", Velocity),
        ("Fraud:Weights:HighRiskSku", HighRiskSku),
        ("Fraud:Weights:FailedPayments", FailedPayments),
    ];

    public FraudWeights ToWeights() => new()
    {
        ProviderHighest = ProviderHighest,
        ProviderElevated = ProviderElevated,
        ChannelHigh = ChannelHigh,
        ChannelMedium = ChannelMedium,
        HighValue = HighValue,
        AboveCustomerAverage = AboveCustomerAverage,
        HighQuantity = HighQuantity,
        FirstOrder = FirstOrder,
        CountryMismatch = CountryMismatch,
        ForwarderAddress = ForwarderAddress,
        Velocity = Velocity,
        HighRiskSku = HighRiskSku,
        FailedPayments = FailedPayments,
    };
}
