namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>A host of its own with small per-client limits (<see cref="PermitLimit"/> a minute on each policy).</summary>
public sealed class RateLimitedHostFixture : OrderFlowHostFixture
{
    public const int PermitLimit = 3;

    protected override void AddSettings(IDictionary<string, string> environment)
    {
        environment["RateLimiting__WebhookPermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["RateLimiting__ApprovalPermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["RateLimiting__Window"] = "00:01:00";
    }
}
