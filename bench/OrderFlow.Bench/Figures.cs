namespace OrderFlow.Bench;

/// <summary>
/// What one scenario measured: whether every instance and check passed, the rate, the latencies (sorted, ms) and the
/// loop's timing, CPU and load; for orders, also the start-to-first-hand-off times (sorted, ms).
/// </summary>
public sealed record Figures(bool Ok, double Rate, IReadOnlyList<double> SortedMillis, LoopResult Loop)
{
    public IReadOnlyList<double> HandOffMillis { get; init; } = [];

    /// <summary>The nearest-rank percentile of the latencies; NaN when there are none.</summary>
    public double Latency(double percentile) => At(this.SortedMillis, percentile);

    /// <summary>The nearest-rank percentile of the start-to-hand-off times; NaN when there are none.</summary>
    public double HandOff(double percentile) => At(this.HandOffMillis, percentile);

    private static double At(IReadOnlyList<double> sorted, double percentile)
        => sorted.Count == 0 ? double.NaN : Percentiles.At([.. sorted], percentile);
}
