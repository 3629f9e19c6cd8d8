using OrderFlow.Domain.Common;
using OrderFlow.Integrations.Accounting;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Accounting;

/// <summary>DocNumbers and requestids fit QuickBooks' limits and stay distinct; amounts convert exactly both ways.</summary>
public sealed class QuickBooksKeysTests
{
    [Fact]
    public void DocNumbers_LongIdsAndReferences_FitTheLimitShareTheOrderPrefixAndDiffer()
    {
        var orderId = "generic-" + new string('x', 200);
        var sale = QuickBooksKeys.SaleDocNumber(orderId, orderId + ":accounting");
        var refund1 = QuickBooksKeys.RefundDocNumber(orderId, orderId + ":refund-1");
        var refund2 = QuickBooksKeys.RefundDocNumber(orderId, orderId + ":refund-2");

        Assert.All([sale, refund1, refund2], d =>
        {
            Assert.True(d.Length <= QuickBooksKeys.MaxDocNumberLength, d);
            Assert.StartsWith(QuickBooksKeys.OrderPrefix(orderId), d, StringComparison.Ordinal);
            Assert.Matches("^OF[0-9A-Z]{10}-[SR][0-9A-Z]{6}$", d);
        });
        Assert.Equal(3, new[] { sale, refund1, refund2 }.Distinct().Count());
        Assert.NotEqual(QuickBooksKeys.OrderPrefix(orderId), QuickBooksKeys.OrderPrefix(orderId + "y"));
        Assert.Equal(sale, QuickBooksKeys.SaleDocNumber(orderId, orderId + ":accounting"));
    }

    [Fact]
    public void RequestId_SameReference_SameIdWithinTheLimitAndDistinctPerKind()
    {
        var reference = new string('r', 300);

        var sale = QuickBooksKeys.RequestId(AccountingDocument.Sale, reference);

        Assert.Equal(sale, QuickBooksKeys.RequestId(AccountingDocument.Sale, reference));
        Assert.NotEqual(sale, QuickBooksKeys.RequestId(AccountingDocument.Refund, reference));
        Assert.True(QuickBooksKeys.RequestId(AccountingDocument.Refund, reference).Length <= QuickBooksKeys.MaxRequestIdLength);
    }

    [Theory]
    [InlineData(4951, "USD", "49.51")]
    [InlineData(1500, "JPY", "1500")]
    [InlineData(12345, "KWD", "12.345")]
    [InlineData(-500, "EUR", "-5")]
    public void Amounts_RoundTripExactly(long minor, string currency, string expected)
    {
        var money = new Money(minor, currency);

        var amount = QuickBooksAmounts.ToDecimal(money);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), amount);
        Assert.Equal(money, QuickBooksAmounts.ToMoney(amount, currency));
    }

    [Fact]
    public void ToMoney_MoreDecimalsThanTheCurrency_Throws()
    {
        var ex = Assert.Throws<InvalidDataException>(() => QuickBooksAmounts.ToMoney(1.005m, "USD"));

        Assert.Contains("1.005 is not an exact USD amount", ex.Message, StringComparison.Ordinal);
    }
}
