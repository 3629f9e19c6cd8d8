using OrderFlow.Domain.Fraud;

namespace OrderFlow.Domain.Tests;

public class FraudPolicyTests
{
    [Fact]
    public void Assess_NormalOrder_NoHold() =>
        Assert.False(FraudPolicy.Assess(TestOrders.Valid(), "normal", new FraudThresholds()).HoldForReview);

    [Fact]
    public void Assess_ProviderHighestRisk_Holds()
    {
        var result = FraudPolicy.Assess(TestOrders.Valid(), "highest", new FraudThresholds());
        Assert.True(result.HoldForReview);
        Assert.Contains(result.Reasons, r => r.Contains("highest", StringComparison.Ordinal));
    }
}
