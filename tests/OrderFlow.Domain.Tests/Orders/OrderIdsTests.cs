using OrderFlow.Domain.Orders;

namespace OrderFlow.Domain.Tests.Orders;

/// <summary>Order ids from (source, channel id): plain ids unchanged, everything else hashed, never two ids alike.</summary>
public sealed class OrderIdsTests
{
    [Theory]
    [InlineData("shopify", "8928354021349", "shopify-8928354021349")]
    [InlineData("woocommerce", "17", "woocommerce-17")]
    [InlineData("pos", "till-4.sale_0001", "pos-till-4.sale_0001")]
    public void For_PlainId_KeepsTodaysForm(string source, string externalId, string expected)
    {
        Assert.Equal(expected, OrderIds.For(source, externalId));
    }

    [Fact]
    public void For_IdsThatUsedToMapToUnderscore_AllDiffer()
    {
        string[] externalIds = ["a/b-1", "a#b-1", "a?b-1", "a b-1", "a_b-1", "A_b-1", "a\\b-1", " a_b-1"];

        var orderIds = externalIds.Select(id => OrderIds.For("shopify", id)).ToList();

        Assert.Equal(externalIds.Length, orderIds.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("shopify-a_b-1", orderIds[4]);
        Assert.All(orderIds.Where((_, i) => i != 4), id => Assert.Matches("^shopify-[a-z0-9._-]+~[0-9a-f]{16}$", id));
    }

    [Fact]
    public void For_IdsDifferingOnlyInCase_Differ()
    {
        Assert.NotEqual(OrderIds.For("pos", "ABC-1"), OrderIds.For("pos", "abc-1"));
        Assert.NotEqual(OrderIds.For("pos", "ABC-1"), OrderIds.For("pos", "Abc-1"));
    }

    [Fact]
    public void For_SameIdTwice_SameOrderId()
    {
        Assert.Equal(OrderIds.For("shopify", "a/b-1"), OrderIds.For("shopify", "a/b-1"));
    }

    [Fact]
    public void For_LongId_BoundedAndDistinctFromItsPrefix()
    {
        var longId = new string('7', 2000);
        var almost = new string('7', 1999);

        var a = OrderIds.For("shopify", longId);
        var b = OrderIds.For("shopify", almost);

        Assert.True(a.Length <= OrderIds.MaxOrderIdLength, a);
        Assert.NotEqual(a, b);
        Assert.Equal(OrderIds.For("shopify", new string('7', OrderIds.MaxPlainIdLength)), "shopify-" + new string('7', OrderIds.MaxPlainIdLength));
    }

    [Fact]
    public void For_IdStartingWithAt_NeverStartsWithAt()
    {
        Assert.StartsWith("pos-", OrderIds.For("pos", "@order@1"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a-b")]
    [InlineData("a~b")]
    [InlineData("Shop")]
    [InlineData("_x")]
    [InlineData("abcdefghijabcdefghijabcdefghijabc")]
    public void For_SourceWithSeparatorOrOutsideAlphabet_Throws(string source)
    {
        Assert.Throws<ArgumentException>(() => OrderIds.For(source, "1"));
    }

    [Fact]
    public void For_SourceAndIdSplitCannotCollide()
    {
        // Before, source "a-b" + id "c" and source "a" + id "b-c" were both "a-b-c"; a source may no longer hold '-'.
        Assert.Throws<ArgumentException>(() => OrderIds.For("a-b", "c"));
        Assert.Equal("a-b-c", OrderIds.For("a", "b-c"));
    }
}
