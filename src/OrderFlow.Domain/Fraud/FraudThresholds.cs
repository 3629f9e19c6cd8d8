namespace OrderFlow.Domain.Fraud;

/// <summary>
/// Store-configured fraud rules: the thresholds of the value and bulk signals, the approve / review / cancel score
/// thresholds, each signal's weight, and the lists the signals match (high-risk SKUs, forwarder / PO box patterns).
/// Defaults are chosen so a realistic risky order (first order, billing and shipping countries differ, high value,
/// forwarder address) reaches review without any payment-provider risk.
/// </summary>
public sealed record FraudThresholds(long HighValueMinorUnits = 100_000_00, int HighQuantityUnits = 50, int ReviewScore = 70)
{
    /// <summary>The default forwarder / PO box patterns (case-insensitive regular expressions on the shipping street lines).</summary>
    public static IReadOnlyList<string> DefaultForwarderPatterns { get; } =
    [
        @"\bP\.?\s*O\.?\s*Box\b",
        @"\bPost\s*Office\s*Box\b",
        @"\bPostfach\b",
        @"\bBo[iî]te\s+postale\b",
        @"\bfreight\s*forward",
        @"\bparcel\s*forward",
        @"\bpackage\s*forward",
        @"\bshipito\b",
        @"\bmyus\b",
        @"\bstackry\b",
        @"\bplanet\s*express\b",
    ];

    /// <summary>A score at or above this recommends cancelling (the order is held with Cancel as the recommended answer).</summary>
    public int CancelScore { get; init; } = 90;

    /// <summary>How far back the velocity signals count (orders per email / IP / address, failed payments).</summary>
    public TimeSpan VelocityWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>More than this many other orders from one email, IP or shipping address within the window is velocity.</summary>
    public int VelocityOrderLimit { get; init; } = 3;

    /// <summary>At least this many failed payments from one email or IP within the window is failed-payment velocity.</summary>
    public int FailedPaymentLimit { get; init; } = 2;

    /// <summary>An order at least this many times the customer's average earlier order counts as unusual for them.</summary>
    public int HistoryValueMultiple { get; init; } = 3;

    public FraudWeights Weights { get; init; } = new();

    /// <summary>SKUs that attract fraud (gift cards, consoles, ...); compared case-sensitively like every SKU.</summary>
    public IReadOnlyList<string> HighRiskSkus { get; init; } = [];

    /// <summary>Case-insensitive regular expressions matched against the shipping street lines.</summary>
    public IReadOnlyList<string> ForwarderPatterns { get; init; } = DefaultForwarderPatterns;
}

/// <summary>Points each signal adds to the fraud score (0-100 each; 0 turns a signal off).</summary>
public sealed record FraudWeights
{
    public int ProviderHighest { get; init; } = 80;
    public int ProviderElevated { get; init; } = 40;
    public int ChannelHigh { get; init; } = 50;
    public int ChannelMedium { get; init; } = 20;
    public int HighValue { get; init; } = 30;
    public int AboveCustomerAverage { get; init; } = 20;
    public int HighQuantity { get; init; } = 20;
    public int FirstOrder { get; init; } = 10;
    public int CountryMismatch { get; init; } = 20;
    public int ForwarderAddress { get; init; } = 25;
    public int Velocity { get; init; } = 25;
    public int HighRiskSku { get; init; } = 20;
    public int FailedPayments { get; init; } = 25;
}
