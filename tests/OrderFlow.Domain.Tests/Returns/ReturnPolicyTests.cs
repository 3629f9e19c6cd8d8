using OrderFlow.Domain.Common;
using OrderFlow.Domain.Returns;

namespace OrderFlow.Domain.Tests.Returns;

public sealed class ReturnPolicyTests
{
    private static readonly DateTimeOffset Delivered = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ReturnRules Rules = new(30, ["GIFT-CARD"], 0, 0, false);

    private static readonly ReturnFacts Facts = new(
        Delivered,
        new Dictionary<string, int> { ["MUG"] = 2, ["TEE"] = 1, ["GIFT-CARD"] = 1 },
        new Dictionary<string, int> { ["MUG"] = 1 });

    // Subtotal 10000 = 2 x MUG 2500 + 1 x TEE 5000; tax 800; shipping 600.
    private static readonly ReturnPricing Pricing = new(
        new Dictionary<string, Money> { ["MUG"] = Usd(2500), ["TEE"] = Usd(5000) },
        Usd(10000),
        Usd(800),
        Usd(600),
        ShippingRefundable: true);

    [Fact]
    public void Authorize_WithinWindowAndQuantities_IsGranted()
    {
        var result = ReturnPolicy.Authorize([new("MUG", 1), new("TEE", 1)], Facts, Rules, Delivered.AddDays(30));

        Assert.True(result.Authorized);
        Assert.Empty(result.Reasons);
    }

    [Fact]
    public void Authorize_AfterTheWindow_IsRefusedNamingTheEndDate()
    {
        var result = ReturnPolicy.Authorize([new("TEE", 1)], Facts, Rules, Delivered.AddDays(30).AddSeconds(1));

        Assert.False(result.Authorized);
        Assert.Equal("The 30-day return window ended on 2026-12-01.", Assert.Single(result.Reasons));
    }

    [Fact]
    public void Authorize_NothingShipped_IsRefused()
    {
        var result = ReturnPolicy.Authorize([new("TEE", 1)], Facts with { ReturnableFrom = null }, Rules, Delivered);

        Assert.False(result.Authorized);
        Assert.Contains("has shipped", Assert.Single(result.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Authorize_NonReturnableSku_IsRefused()
    {
        var result = ReturnPolicy.Authorize([new("GIFT-CARD", 1)], Facts, Rules, Delivered);

        Assert.Equal("GIFT-CARD is not returnable.", Assert.Single(result.Reasons));
    }

    [Fact]
    public void Authorize_MoreThanShippedMinusReturned_IsRefusedPerSku()
    {
        // Two lines of MUG count together: 2 requested, 2 shipped - 1 returned = 1 left. TEE was never shipped twice.
        var result = ReturnPolicy.Authorize([new("MUG", 1), new("MUG", 1), new("TEE", 2), new("HAT", 1)], Facts, Rules, Delivered);

        Assert.False(result.Authorized);
        Assert.Equal(
            ["HAT: 1 requested, 0 shipped and not yet returned.", "MUG: 2 requested, 1 shipped and not yet returned.", "TEE: 2 requested, 1 shipped and not yet returned."],
            result.Reasons);
    }

    [Fact]
    public void Authorize_ZeroQuantityAndNoLines_AreRefused()
    {
        Assert.Equal("MUG: the quantity must be positive.", Assert.Single(ReturnPolicy.Authorize([new("MUG", 0)], Facts, Rules, Delivered).Reasons));
        Assert.Equal("No items were requested.", Assert.Single(ReturnPolicy.Authorize([], Facts, Rules, Delivered).Reasons));
    }

    [Fact]
    public void Quote_ItemsWithTaxShare_NoFeeNoShipping()
    {
        var quote = ReturnPolicy.Quote([("MUG", 1)], Pricing, refundShipping: false, Rules);

        Assert.Equal(Usd(2500), quote.Items);
        Assert.Equal(Usd(200), quote.Tax); // 800 x 2500 / 10000
        Assert.Equal(Usd(0), quote.Shipping);
        Assert.Equal(Usd(0), quote.RestockingFee);
        Assert.Equal(Usd(2700), quote.Total);
    }

    [Fact]
    public void Quote_TaxShare_RoundsDownInIntegerMinorUnits()
    {
        var pricing = Pricing with { Tax = Usd(999) };

        var quote = ReturnPolicy.Quote([("MUG", 1)], pricing, refundShipping: false, Rules);

        Assert.Equal(Usd(249), quote.Tax); // 999 x 2500 / 10000 = 249.75
        Assert.Equal(Usd(2749), quote.Total);
    }

    [Fact]
    public void Quote_RefundShipping_AddsTheShippingChargeOnlyWhileRefundable()
    {
        Assert.Equal(Usd(600), ReturnPolicy.Quote([("TEE", 1)], Pricing, refundShipping: true, Rules).Shipping);
        Assert.Equal(Usd(6000), ReturnPolicy.Quote([("TEE", 1)], Pricing, refundShipping: true, Rules).Total);
        Assert.Equal(Usd(0), ReturnPolicy.Quote([("TEE", 1)], Pricing with { ShippingRefundable = false }, refundShipping: true, Rules).Shipping);
    }

    [Fact]
    public void Quote_PercentAndFixedFee_AreTakenFromTheTotal()
    {
        var rules = Rules with { RestockingFeePercent = 15, RestockingFeeFixedMinor = 199 };

        var quote = ReturnPolicy.Quote([("MUG", 1)], Pricing, refundShipping: false, rules);

        Assert.Equal(Usd(375 + 199), quote.RestockingFee); // 15 % of 2500 + 1.99
        Assert.Equal(Usd(2500 + 200 - 574), quote.Total);
    }

    [Fact]
    public void Quote_PercentFee_RoundsDownForTheCustomer()
    {
        var rules = Rules with { RestockingFeePercent = 33 };

        var quote = ReturnPolicy.Quote([("MUG", 1)], Pricing with { UnitPrices = new Dictionary<string, Money> { ["MUG"] = Usd(101) } }, false, rules);

        Assert.Equal(Usd(33), quote.RestockingFee); // 33.33
    }

    [Fact]
    public void Quote_FeeLargerThanTheRefund_NeverGoesBelowZero()
    {
        var rules = Rules with { RestockingFeePercent = 100, RestockingFeeFixedMinor = 5000 };

        var quote = ReturnPolicy.Quote([("MUG", 1)], Pricing, refundShipping: false, rules);

        Assert.Equal(Usd(2700), quote.RestockingFee);
        Assert.Equal(Usd(0), quote.Total);
    }

    [Fact]
    public void Quote_NoUnits_RefundsNothingAndChargesNoFee()
    {
        var quote = ReturnPolicy.Quote([], Pricing, refundShipping: true, Rules with { RestockingFeeFixedMinor = 500 });

        Assert.Equal(Usd(0), quote.Shipping);
        Assert.Equal(Usd(0), quote.RestockingFee);
        Assert.Equal(Usd(0), quote.Total);
    }

    [Fact]
    public void Quote_SkuNotOnTheOrder_Throws() =>
        Assert.Throws<ArgumentException>(() => ReturnPolicy.Quote([("HAT", 1)], Pricing, false, Rules));

    private static Money Usd(long minor) => new(minor, "USD");
}
