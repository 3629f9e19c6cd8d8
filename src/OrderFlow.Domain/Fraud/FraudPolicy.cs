using OrderFlow.Domain.Orders;

namespace OrderFlow.Domain.Fraud;

/// <summary>
/// Rule-based fraud scoring combined with the payment provider's risk signal. Pure: thresholds come in as options.
/// </summary>
public static class FraudPolicy
{
    public static FraudAssessment Assess(Order order, string? providerRiskLevel, FraudThresholds thresholds)
    {
        var score = 0;
        var reasons = new List<string>();

        switch (providerRiskLevel?.ToLowerInvariant())
        {
            case "highest":
                score += 80;
                reasons.Add("Payment provider rated the payment highest risk.");
                break;
            case "elevated":
                score += 40;
                reasons.Add("Payment provider rated the payment elevated risk.");
                break;
        }

        if (order.Totals.Total.MinorUnits >= thresholds.HighValueMinorUnits)
        {
            score += 30;
            reasons.Add($"Order total {order.Totals.Total} is at or above the high-value threshold.");
        }

        var units = order.Lines.Sum(l => l.Quantity);
        if (units >= thresholds.HighQuantityUnits)
        {
            score += 20;
            reasons.Add($"Order has {units} units, at or above the bulk threshold of {thresholds.HighQuantityUnits}.");
        }

        score = Math.Min(score, 100);
        return new FraudAssessment(score, reasons, score >= thresholds.ReviewScore);
    }
}
