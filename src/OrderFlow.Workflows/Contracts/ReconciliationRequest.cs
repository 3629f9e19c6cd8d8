namespace OrderFlow.Workflows.Contracts;

/// <summary>
/// Input of a reconciliation run over the orders updated or completed from <paramref name="From"/> to
/// <paramref name="To"/> (UTC calendar days, both included). Timings come from <see cref="OrderWorkflowSettings"/>.
/// </summary>
public sealed record ReconciliationRequest(DateOnly From, DateOnly To, OrderWorkflowSettings Settings)
{
    public const string InstancePrefix = "reconcile-";

    /// <summary>The instance id (= report id) of the range's first run: a scheduled run of a day starts at most once.</summary>
    public static string InstanceIdFor(DateOnly from, DateOnly to) =>
        $"{InstancePrefix}{from.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)}-{to.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)}";
}
