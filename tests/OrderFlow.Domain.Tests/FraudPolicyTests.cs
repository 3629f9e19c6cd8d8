using OrderFlow.Domain.Common;
using OrderFlow.Domain.Fraud;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Domain.Tests;

public class FraudPolicyTests
{
    private static readonly FraudThresholds Rules = new() { HighRiskSkus = ["SKU-GIFTCARD"] };

    /// <summary>A returning customer with an ordinary history: no history signal fires.</summary>
    private static readonly FraudHistory Returning = new(4, 50_00, 0, 0, 0, 0);

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

    // One test per signal: the signal alone adds exactly its configured weight and names itself in the reasons.
    [Theory]
    [InlineData("provider-highest", 80, "highest risk")]
    [InlineData("provider-elevated", 40, "elevated risk")]
    [InlineData("channel-high", 50, "rated the order high risk")]
    [InlineData("channel-medium", 20, "rated the order medium risk")]
    [InlineData("high-value", 30, "high-value threshold")]
    [InlineData("above-average", 20, "times this customer's average")]
    [InlineData("high-quantity", 20, "bulk threshold")]
    [InlineData("first-order", 10, "First order from this customer")]
    [InlineData("country-mismatch", 20, "Billing and shipping countries differ")]
    [InlineData("forwarder", 25, "freight forwarder or PO box")]
    [InlineData("po-box", 25, "freight forwarder or PO box")]
    [InlineData("velocity-email", 25, "from the same email")]
    [InlineData("velocity-ip", 25, "from the same IP address")]
    [InlineData("velocity-address", 25, "to the same shipping address")]
    [InlineData("high-risk-sku", 20, "high-risk SKU(s): SKU-GIFTCARD")]
    [InlineData("failed-payments", 25, "failed payments")]
    public void Assess_OneSignal_AddsItsWeightWithItsReason(string signal, int points, string reason)
    {
        var (order, provider, history) = Single(signal);

        var result = FraudPolicy.Assess(order, provider, Rules, history);

        Assert.Equal(points, result.Score);
        var only = Assert.Single(result.Reasons);
        Assert.StartsWith($"(+{points}) ", only, StringComparison.Ordinal);
        Assert.Contains(reason, only, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_WeightZero_TurnsTheSignalOff()
    {
        var (order, _, history) = Single("country-mismatch");
        var rules = Rules with { Weights = new FraudWeights { CountryMismatch = 0 } };

        var result = FraudPolicy.Assess(order, null, rules, history);

        Assert.Equal((0, FraudOutcome.Approve), (result.Score, result.Outcome));
        Assert.Empty(result.Reasons);
    }

    [Fact]
    public void Assess_ReasonsCarryNoCustomerData()
    {
        var order = Risky(TestOrders.Valid(), billing: "DE", street: "PO Box 77", ip: "203.0.113.9");

        var text = string.Join(" ", FraudPolicy.Assess(order, "elevated", Rules, new FraudHistory(0, 0, 9, 9, 9, 9)).Reasons);

        foreach (var value in new[] { "ada@example.com", "203.0.113.9", "PO Box 77", "DE", "US", "Springfield", "62701", "Lovelace" })
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Assess_ScoreCappedAt100_AndCancelRecommended()
    {
        var order = Risky(TestOrders.Valid(), billing: "DE", street: "PO Box 77");

        var result = FraudPolicy.Assess(order, "highest", Rules, FraudHistory.None);

        Assert.Equal((100, FraudOutcome.Cancel, true), (result.Score, result.Outcome, result.HoldForReview));
        Assert.StartsWith("Recommended: Cancel", result.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_NoHistory_SkipsHistoryAndVelocitySignals() =>
        Assert.Equal(0, FraudPolicy.Assess(TestOrders.Valid(), null, Rules, history: null).Score);

    /// <summary>
    /// Realistic orders land where a merchant expects with the default weights and thresholds (review 70, cancel 90);
    /// the merchant has set their own high-value line (USD 1,000) and lists gift cards as high-risk.
    /// </summary>
    [Theory]
    [InlineData("returning customer, everyday basket", FraudOutcome.Approve)]
    [InlineData("first order, everyday basket", FraudOutcome.Approve)]
    [InlineData("first order, gift shipped abroad", FraudOutcome.Approve)]
    [InlineData("loyal customer, big TV purchase", FraudOutcome.Approve)]
    [InlineData("first order, abroad, high value, to a forwarder", FraudOutcome.Review)]
    [InlineData("Shopify says high risk, first order, billing abroad", FraudOutcome.Review)]
    [InlineData("gift cards from a busy IP after failed payments", FraudOutcome.Review)]
    [InlineData("provider highest risk, first order to a PO box", FraudOutcome.Cancel)]
    [InlineData("card testing: gift cards, forwarder, failed payments, many orders", FraudOutcome.Cancel)]
    public void Assess_RealisticOrders_LandWhereAMerchantExpects(string scenario, FraudOutcome expected)
    {
        var valid = TestOrders.Valid();
        var big = valid with { Totals = valid.Totals with { Total = new Money(1_500_00, "USD") } };
        var gift = valid with { Lines = [new LineItem("1", "SKU-GIFTCARD", "Gift card", 4, new Money(100_00, "USD"))] };
        (Order Order, string? Provider, FraudHistory History) input = scenario switch
        {
            "returning customer, everyday basket" => (valid, "normal", Returning),
            "first order, everyday basket" => (valid, "normal", FraudHistory.None),
            "first order, gift shipped abroad" => (Risky(valid, billing: "CA"), "normal", FraudHistory.None),
            "loyal customer, big TV purchase" => (big, "normal", Returning with { AveragePriorValueMinorUnits = 200_00 }),
            "first order, abroad, high value, to a forwarder" => (Risky(big, billing: "GB", street: "Shipito Freight Forwarding, 1 Dock Rd"), "normal", FraudHistory.None),
            "Shopify says high risk, first order, billing abroad" => (Risky(valid, billing: "NG") with { ChannelRiskLevel = "high" }, null, FraudHistory.None),
            "gift cards from a busy IP after failed payments" => (gift, "normal", FraudHistory.None with { RecentOrdersFromIp = 6, RecentFailedPayments = 3 }),
            "provider highest risk, first order to a PO box" => (Risky(valid, street: "P.O. Box 12"), "highest", FraudHistory.None),
            "card testing: gift cards, forwarder, failed payments, many orders" =>
                (Risky(gift, street: "Parcel forwarding suite 9"), "normal", FraudHistory.None with { RecentOrdersFromEmail = 5, RecentFailedPayments = 4 }),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        var result = FraudPolicy.Assess(input.Order, input.Provider, new FraudThresholds(HighValueMinorUnits: 1_000_00) { HighRiskSkus = ["SKU-GIFTCARD"] }, input.History);

        Assert.True(expected == result.Outcome, $"{scenario}: score {result.Score} -> {result.Outcome}; {string.Join(" ", result.Reasons)}");
        Assert.Equal(expected != FraudOutcome.Approve, result.HoldForReview);
    }

    private static (Order Order, string? Provider, FraudHistory? History) Single(string signal)
    {
        var valid = TestOrders.Valid();
        var none = Returning;
        return signal switch
        {
            "provider-highest" => (valid, "highest", none),
            "provider-elevated" => (valid, "elevated", none),
            "channel-high" => (valid with { ChannelRiskLevel = "high" }, null, none),
            "channel-medium" => (valid with { ChannelRiskLevel = "medium" }, null, none),
            "high-value" => (valid with { Totals = valid.Totals with { Total = new Money(100_000_00, "USD") } }, null, none with { AveragePriorValueMinorUnits = 100_000_00 }),
            "above-average" => (valid, null, none with { AveragePriorValueMinorUnits = 17_00 }),
            "high-quantity" => (valid with { Lines = [new LineItem("1", "SKU-MUG", "Mug", 50, new Money(1, "USD"))] }, null, none),
            "first-order" => (valid, null, FraudHistory.None),
            "country-mismatch" => (Risky(valid, billing: "FR"), null, none),
            "forwarder" => (Risky(valid, street: "c/o MyUS 4300 NW 1st St"), null, none),
            "po-box" => (Risky(valid, street: "PO Box 1234"), null, none),
            "velocity-email" => (valid, null, none with { RecentOrdersFromEmail = 4 }),
            "velocity-ip" => (valid, null, none with { RecentOrdersFromIp = 4 }),
            "velocity-address" => (valid, null, none with { RecentOrdersToAddress = 4 }),
            "high-risk-sku" => (valid with { Lines = [.. valid.Lines, new LineItem("3", "SKU-GIFTCARD", "Gift card", 1, new Money(50_00, "USD"))] }, null, none),
            "failed-payments" => (valid, null, none with { RecentFailedPayments = 2 }),
            _ => throw new ArgumentOutOfRangeException(nameof(signal)),
        };
    }

    private static Order Risky(Order order, string? billing = null, string? street = null, string? ip = null) => order with
    {
        BillingCountryCode = billing ?? order.BillingCountryCode,
        ShippingAddress = street is null ? order.ShippingAddress : order.ShippingAddress with { Line1 = street },
        CustomerIp = ip ?? order.CustomerIp,
    };
}
