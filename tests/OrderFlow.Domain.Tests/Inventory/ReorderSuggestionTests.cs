using OrderFlow.Domain.Inventory;

namespace OrderFlow.Domain.Tests.Inventory;

/// <summary>Purchase-order suggestions: threshold + sales rate × (lead time + cover), less what is available.</summary>
public sealed class ReorderSuggestionTests
{
    [Fact]
    public void Compute_SteadySales_CoversLeadTimeAndCoverOnTopOfTheThreshold()
    {
        var s = ReorderSuggestion.Compute(available: 4, threshold: 10, unitsSold: 56, windowDays: 28, leadTimeDays: 14, coverDays: 14);

        // 2 units/day x 28 days = 56, + 10 = 66; 4 available -> 62.
        Assert.Equal((66, 62), (s.OrderUpTo, s.Quantity));
    }

    [Fact]
    public void Compute_FractionalDemand_RoundsUpSoTheCoverIsNeverShort()
    {
        var s = ReorderSuggestion.Compute(available: 0, threshold: 2, unitsSold: 5, windowDays: 28, leadTimeDays: 10, coverDays: 7);

        // 5/28 x 17 = 3.04 -> 4 units.
        Assert.Equal((6, 6), (s.OrderUpTo, s.Quantity));
    }

    [Fact]
    public void Compute_NoSales_RestoresTwiceTheThreshold()
    {
        var s = ReorderSuggestion.Compute(available: 3, threshold: 8, unitsSold: 0, windowDays: 28, leadTimeDays: 14, coverDays: 14);

        Assert.Equal((16, 13), (s.OrderUpTo, s.Quantity));
    }

    [Theory]
    [InlineData(0, 0, 0, 1)]
    [InlineData(0, 1, 0, 2)]
    [InlineData(-5, 1, 0, 2)]
    [InlineData(100, 10, 0, 1)]
    public void Compute_EdgeLevels_AlwaysAtLeastOneUnitAndNegativeAvailableCountsAsNone(int available, int threshold, int sold, int expected)
    {
        Assert.Equal(expected, ReorderSuggestion.Compute(available, threshold, sold, 28, 14, 14).Quantity);
    }

    [Fact]
    public void Compute_ZeroLeadTime_CoversOnlyTheCoverPeriod()
    {
        var s = ReorderSuggestion.Compute(available: 0, threshold: 0, unitsSold: 28, windowDays: 28, leadTimeDays: 0, coverDays: 7);

        Assert.Equal(7, s.Quantity);
    }

    [Fact]
    public void Compute_HugeVolumes_DoNotOverflow()
    {
        var s = ReorderSuggestion.Compute(available: 0, threshold: 1_000_000_000, unitsSold: int.MaxValue, windowDays: 1, leadTimeDays: 365, coverDays: 365);

        Assert.Equal(int.MaxValue, s.OrderUpTo);
        Assert.Equal(int.MaxValue, s.Quantity);
    }

    [Fact]
    public void Compute_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReorderSuggestion.Compute(0, -1, 0, 28, 14, 14));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReorderSuggestion.Compute(0, 1, -1, 28, 14, 14));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReorderSuggestion.Compute(0, 1, 0, 0, 14, 14));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReorderSuggestion.Compute(0, 1, 0, 28, -1, 14));
    }

    [Fact]
    public void Explain_WithSales_ShowsTheArithmeticABuyerCanCheck()
    {
        var text = ReorderSuggestion.Compute(4, 10, 56, 28, 14, 14).Explain();

        Assert.Equal("56 units sold in the last 28 days (2/day) × (14 days lead time + 14 days cover) = 56 units, plus the reorder threshold 10: order up to 66; 4 available now, so order 62.", text);
    }

    [Fact]
    public void Explain_NoSales_SaysSo()
    {
        var text = ReorderSuggestion.Compute(3, 8, 0, 28, 14, 14).Explain();

        Assert.StartsWith("No units sold in the last 28 days", text, StringComparison.Ordinal);
        Assert.EndsWith("order up to 16; 3 available now, so order 13.", text, StringComparison.Ordinal);
    }
}
