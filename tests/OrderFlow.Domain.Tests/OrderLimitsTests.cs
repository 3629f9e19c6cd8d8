using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Validation;

namespace OrderFlow.Domain.Tests;

/// <summary>Bounds intake checks so no later sum, product or key overflows.</summary>
public sealed class OrderLimitsTests
{
    [Fact]
    public void Check_ValidOrder_NoErrors()
    {
        Assert.Empty(OrderLimits.Check(TestOrders.Valid()));
    }

    [Fact]
    public void Check_PriceTimesQuantityBeyondLong_NamesTheLineWithoutOverflowing()
    {
        var order = TestOrders.Valid() with { Lines = [new LineItem("1", "SKU-MUG", "Mug", int.MaxValue, new Money(long.MaxValue, "USD"))] };

        var errors = OrderLimits.Check(order);

        Assert.Contains(errors, e => e.Field == "lines[0]" && e.Rule == "amount");
        Assert.Contains(errors, e => e.Field == "lines" && e.Rule == "quantity");
    }

    [Fact]
    public void Check_TwoLinesOfOneSkuOverTheQuantityLimit_NamesTheSku()
    {
        var line = new LineItem("1", "SKU-MUG", "Mug", int.MaxValue, new Money(0, "USD"));
        var order = TestOrders.Valid() with { Lines = [line, line with { LineId = "2" }] };

        var error = Assert.Single(OrderLimits.Check(order));

        Assert.Equal("lines", error.Field);
        Assert.Contains("SKU 'SKU-MUG' is ordered 4294967294 times", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LongIdsAndHugeTotal_EachNamedWithItsLimit()
    {
        var order = TestOrders.Valid() with
        {
            ExternalId = new string('1', 257),
            PaymentReference = new string('p', 257),
            Totals = TestOrders.Valid().Totals with { Total = new Money(long.MaxValue, "USD") },
        };

        var fields = OrderLimits.Check(order).Select(e => e.Field).ToList();

        Assert.Equal(["externalId", "paymentReference", "totals.total"], fields);
    }
}
