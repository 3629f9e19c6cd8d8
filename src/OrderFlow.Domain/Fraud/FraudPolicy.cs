using System.Text.RegularExpressions;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Domain.Fraud;

/// <summary>
/// Explainable fraud scoring: each signal is a small rule that adds its configured weight and a reason (with the points,
/// never customer data) when it fires; the total is capped at 100 and lands on Approve, Review (at or above
/// <see cref="FraudThresholds.ReviewScore"/>) or Cancel (at or above <see cref="FraudThresholds.CancelScore"/>).
/// Pure: the rules come in as options, the recent-orders facts as <see cref="FraudHistory"/> (null: no store, and the
/// history and velocity signals are skipped).
/// </summary>
public static class FraudPolicy
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    public static FraudAssessment Assess(Order order, string? providerRiskLevel, FraudThresholds thresholds, FraudHistory? history = null)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(thresholds);
        var w = thresholds.Weights;
        var signals = new List<(int Points, string Reason)>();
        void Add(int points, string reason)
        {
            if (points > 0)
            {
                signals.Add((points, reason));
            }
        }

        switch (providerRiskLevel?.Trim().ToLowerInvariant())
        {
            case "highest":
                Add(w.ProviderHighest, "Payment provider rated the payment highest risk.");
                break;
            case "elevated":
                Add(w.ProviderElevated, "Payment provider rated the payment elevated risk.");
                break;
        }

        switch (order.ChannelRiskLevel?.Trim().ToLowerInvariant())
        {
            case "high":
                Add(w.ChannelHigh, "The sales channel's own risk assessment rated the order high risk.");
                break;
            case "medium":
                Add(w.ChannelMedium, "The sales channel's own risk assessment rated the order medium risk.");
                break;
        }

        var total = order.Totals.Total.MinorUnits;
        if (total >= thresholds.HighValueMinorUnits)
        {
            Add(w.HighValue, $"Order total {order.Totals.Total} is at or above the high-value threshold.");
        }

        var units = order.Lines.Sum(l => l.Quantity);
        if (units >= thresholds.HighQuantityUnits)
        {
            Add(w.HighQuantity, $"Order has {units} units, at or above the bulk threshold of {thresholds.HighQuantityUnits}.");
        }

        if (history is not null)
        {
            if (history.PriorOrders == 0)
            {
                Add(w.FirstOrder, "First order from this customer.");
            }
            else if (history.AveragePriorValueMinorUnits > 0 && total >= history.AveragePriorValueMinorUnits * thresholds.HistoryValueMultiple)
            {
                Add(w.AboveCustomerAverage, $"Order total is at least {thresholds.HistoryValueMultiple} times this customer's average of {history.PriorOrders} earlier order(s).");
            }

            var velocity = new List<string>();
            if (history.RecentOrdersFromEmail > thresholds.VelocityOrderLimit)
            {
                velocity.Add($"{history.RecentOrdersFromEmail} from the same email");
            }

            if (history.RecentOrdersFromIp > thresholds.VelocityOrderLimit)
            {
                velocity.Add($"{history.RecentOrdersFromIp} from the same IP address");
            }

            if (history.RecentOrdersToAddress > thresholds.VelocityOrderLimit)
            {
                velocity.Add($"{history.RecentOrdersToAddress} to the same shipping address");
            }

            if (velocity.Count > 0)
            {
                Add(w.Velocity, $"Other orders within {Describe(thresholds.VelocityWindow)}: {string.Join(", ", velocity)} (more than {thresholds.VelocityOrderLimit}).");
            }

            if (history.RecentFailedPayments >= thresholds.FailedPaymentLimit)
            {
                Add(w.FailedPayments, $"{history.RecentFailedPayments} failed payments from the same email or IP address within {Describe(thresholds.VelocityWindow)}.");
            }
        }

        if (!string.IsNullOrWhiteSpace(order.BillingCountryCode) && !string.IsNullOrWhiteSpace(order.ShippingAddress.CountryCode)
            && !string.Equals(order.BillingCountryCode.Trim(), order.ShippingAddress.CountryCode.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            Add(w.CountryMismatch, "Billing and shipping countries differ.");
        }

        if (IsForwarder(order.ShippingAddress, thresholds.ForwarderPatterns))
        {
            Add(w.ForwarderAddress, "Shipping address looks like a freight forwarder or PO box.");
        }

        var risky = order.Lines.Select(l => l.Sku).Where(s => thresholds.HighRiskSkus.Contains(s, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (risky.Count > 0)
        {
            Add(w.HighRiskSku, $"Order contains high-risk SKU(s): {string.Join(", ", risky)}.");
        }

        var score = Math.Clamp(signals.Sum(s => s.Points), 0, 100);
        var outcome = score >= thresholds.CancelScore ? FraudOutcome.Cancel
            : score >= thresholds.ReviewScore ? FraudOutcome.Review
            : FraudOutcome.Approve;
        var reasons = signals.Select(s => $"(+{s.Points}) {s.Reason}").ToList();
        if (outcome == FraudOutcome.Cancel)
        {
            reasons.Insert(0, $"Recommended: Cancel (score at or above the cancel threshold of {thresholds.CancelScore}).");
        }

        return new FraudAssessment(score, reasons, outcome != FraudOutcome.Approve) { Outcome = outcome };
    }

    /// <summary>True when a shipping street line matches one of the patterns (case-insensitive).</summary>
    public static bool IsForwarder(Address address, IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(address);
        var street = string.Join('\n', new[] { address.Line1, address.Line2 }.Where(l => !string.IsNullOrWhiteSpace(l)));
        if (street.Length == 0)
        {
            return false;
        }

        foreach (var pattern in patterns)
        {
            try
            {
                if (Regex.IsMatch(street, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternTimeout))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological pattern does not stop screening; the other patterns still count.
            }
        }

        return false;
    }

    private static string Describe(TimeSpan window) =>
        window.TotalHours >= 1 && window.TotalHours == Math.Floor(window.TotalHours) ? $"{window.TotalHours:0} h" : $"{window.TotalMinutes:0} min";
}
