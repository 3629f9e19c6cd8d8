using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;

namespace OrderFlow.Domain.Tests.Orders;

/// <summary>The order's money maths as the order workflow applies it: capture per parcel, tax share, what is withheld and booked.</summary>
public sealed class OrderSettlementTests
{
    private static Money Usd(long minor) => new(minor, "USD");

    /// <summary>An order of MUG (12.00) and CAP (8.00) lines; tax and shipping as given, total = subtotal + shipping + tax - discount.</summary>
    private static OrderSettlement Order(long subtotal, long tax, long shipping = 5_00, long discount = 0, params (string Sku, long Price)[] prices)
    {
        var totals = new OrderTotals(Usd(subtotal), Usd(shipping), Usd(tax), Usd(discount), Usd(subtotal + shipping + tax - discount));
        var lines = prices.Length > 0 ? prices : [("MUG", 12_00), ("CAP", 8_00)];
        return new OrderSettlement(totals, "USD", lines.Select(p => (p.Sku, Usd(p.Price))));
    }

    private static (string FulfillmentId, IEnumerable<(string Sku, int Quantity)> Units) Parcel(string id, params (string Sku, int Quantity)[] units) => (id, units);

    [Fact]
    public void TaxShareOf_PartOfTheGoods_IsTheProportionalTaxRoundedTowardZero()
    {
        var settlement = Order(subtotal: 30_00, tax: 1_00);

        Assert.Equal(Usd(33), settlement.TaxShareOf(Usd(10_00)));
        Assert.Equal(Usd(66), settlement.TaxShareOf(Usd(20_00)));
    }

    [Fact]
    public void TaxShareOf_NothingOrEverything_IsNoTaxOrAllOfIt()
    {
        var settlement = Order(subtotal: 20_00, tax: 2_00);

        Assert.Equal(Usd(0), settlement.TaxShareOf(Usd(0)));
        Assert.Equal(Usd(2_00), settlement.TaxShareOf(Usd(20_00)));
    }

    [Fact]
    public void TaxShareOf_ZeroTax_IsZero()
    {
        var settlement = Order(subtotal: 20_00, tax: 0);

        Assert.Equal(Usd(0), settlement.TaxShareOf(Usd(12_00)));
        Assert.Equal(Usd(12_00), settlement.Withheld(Usd(12_00)));
    }

    [Fact]
    public void TaxShareOf_ZeroSubtotal_IsZeroInsteadOfDividingByZero()
    {
        var settlement = Order(subtotal: 0, tax: 1_00, prices: [("FREE", 0)]);

        Assert.Equal(Usd(0), settlement.TaxShareOf(Usd(0)));
    }

    [Fact]
    public void Withheld_GoodsNotShipped_IsTheirValuePlusTheirTaxShare()
    {
        var settlement = Order(subtotal: 20_00, tax: 2_00);

        Assert.Equal(Usd(8_80), settlement.Withheld(Usd(8_00)));
    }

    [Fact]
    public void BookedSubtotalAndTax_AfterPartialShipment_LeaveOutWhatDidNotShip()
    {
        var settlement = Order(subtotal: 30_00, tax: 1_00);

        Assert.Equal(Usd(20_00), settlement.BookedSubtotal(Usd(10_00)));
        Assert.Equal(Usd(67), settlement.BookedTax(Usd(10_00)));

        // What is booked and what is withheld add up to the goods and tax charged (the rounding stays with the booking).
        Assert.Equal(Usd(31_00), settlement.BookedSubtotal(Usd(10_00)) + settlement.BookedTax(Usd(10_00)) + settlement.Withheld(Usd(10_00)));
    }

    [Fact]
    public void ValueOf_Units_AreValuedAtTheOrderedUnitPrice()
    {
        var settlement = Order(subtotal: 32_00, tax: 0);

        Assert.Equal(Usd(32_00), settlement.ValueOf([("MUG", 2), ("CAP", 1)]));
        Assert.Equal(Usd(0), settlement.ValueOf([]));
    }

    [Fact]
    public void ValueOf_SkuOnTwoLines_UsesTheFirstLinesPrice()
    {
        var settlement = Order(subtotal: 22_00, tax: 0, prices: [("MUG", 12_00), ("MUG", 10_00)]);

        Assert.Equal(Usd(24_00), settlement.ValueOf([("MUG", 2)]));
    }

    [Fact]
    public void ValueOf_SkuNotOnTheOrder_IsRefused()
    {
        var settlement = Order(subtotal: 20_00, tax: 0);

        Assert.Throws<InvalidOperationException>(() => settlement.ValueOf([("GHOST", 1)]));
    }

    [Fact]
    public void ValueOf_LinePriceInAnotherCurrency_IsRefused()
    {
        var totals = new OrderTotals(Usd(12_00), Usd(0), Usd(0), Usd(0), Usd(12_00));
        var settlement = new OrderSettlement(totals, "USD", [("MUG", new Money(12_00, "EUR"))]);

        var refused = Assert.Throws<InvalidOperationException>(() => settlement.ValueOf([("MUG", 1)]));
        Assert.Contains("Cannot combine USD with EUR", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueOf_SubstituteShipped_IsValuedAtTheOrderedItemsPrice()
    {
        var settlement = Order(subtotal: 20_00, tax: 0);
        var progress = new OrderProgress("USD");
        progress.Substitutions["MUG"] = "MUG-DELUXE";

        var value = settlement.ValueOf(progress.OrderUnits([new FulfillmentLine("MUG-DELUXE", 2)]));

        Assert.Equal(Usd(24_00), value);
    }

    [Fact]
    public void Captures_SingleParcelFinal_CapturesTheWholeTotal()
    {
        var settlement = Order(subtotal: 24_00, tax: 2_40);

        var capture = Assert.Single(settlement.Captures([Parcel("F1", ("MUG", 2))], Usd(0), Usd(0), final: true));

        Assert.Equal(new ParcelCapture("F1", Usd(31_40), true), capture);
    }

    [Fact]
    public void Captures_TwoParcelsFinal_FirstAtItsValueLastTakesTheRemainderWithShippingAndTax()
    {
        var settlement = Order(subtotal: 20_00, tax: 2_00);

        var captures = settlement.Captures([Parcel("F1", ("MUG", 1)), Parcel("F2", ("CAP", 1))], Usd(0), Usd(0), final: true);

        Assert.Equal([new ParcelCapture("F1", Usd(12_00), false), new ParcelCapture("F2", Usd(15_00), true)], captures);
    }

    [Fact]
    public void Captures_ParcelsThatDoNotDivideEvenly_AddUpToTheTotalExactly()
    {
        var settlement = Order(subtotal: 10_00, tax: 1_00, shipping: 3_33, prices: [("PEN", 3_33), ("INK", 3_34)]);

        var captures = settlement.Captures(
            [Parcel("F1", ("PEN", 1)), Parcel("F2", ("PEN", 1)), Parcel("F3", ("INK", 1))], Usd(0), Usd(0), final: true);

        Assert.Equal([Usd(3_33), Usd(3_33), Usd(7_67)], captures.Select(c => c.Amount));
        Assert.Equal(Usd(14_33), captures.Aggregate(Usd(0), (sum, c) => sum + c.Amount));
    }

    [Fact]
    public void Captures_NotFinal_EachParcelAtItsValueAndNoneIsFinal()
    {
        var settlement = Order(subtotal: 60_00, tax: 6_00);

        var captures = settlement.Captures([Parcel("F1", ("MUG", 2)), Parcel("F2", ("CAP", 1))], Usd(0), Usd(0), final: false);

        Assert.Equal([new ParcelCapture("F1", Usd(24_00), false), new ParcelCapture("F2", Usd(8_00), false)], captures);
    }

    [Fact]
    public void Captures_FinalAfterEarlierCaptures_LastTakesWhatTheyLeft()
    {
        // 5 mugs: 2 shipped and captured first (backorder), 3 later in the final wave.
        var settlement = Order(subtotal: 60_00, tax: 6_00);

        var capture = Assert.Single(settlement.Captures([Parcel("F2", ("MUG", 3))], Usd(24_00), Usd(0), final: true));

        Assert.Equal(new ParcelCapture("F2", Usd(47_00), true), capture);
    }

    [Fact]
    public void Captures_WithGoodsThatDidNotShip_LastLeavesTheWithheldValueAndTaxUncaptured()
    {
        // MUG shipped, CAP did not: the CAP and its tax share are withheld.
        var settlement = Order(subtotal: 20_00, tax: 2_00);
        var withheld = settlement.Withheld(settlement.ValueOf([("CAP", 1)]));

        var capture = Assert.Single(settlement.Captures([Parcel("F1", ("MUG", 1))], Usd(0), withheld, final: true));

        Assert.Equal(Usd(8_80), withheld);
        Assert.Equal(new ParcelCapture("F1", Usd(18_20), true), capture);
        Assert.Equal(Usd(27_00), capture.Amount + withheld);
    }

    [Fact]
    public void Captures_Discount_IsTakenOffTheLastCapture()
    {
        var settlement = Order(subtotal: 20_00, tax: 2_00, discount: 3_00);

        var captures = settlement.Captures([Parcel("F1", ("MUG", 1)), Parcel("F2", ("CAP", 1))], Usd(0), Usd(0), final: true);

        Assert.Equal([Usd(12_00), Usd(12_00)], captures.Select(c => c.Amount));
    }

    [Fact]
    public void Captures_NoParcels_CapturesNothing()
    {
        var settlement = Order(subtotal: 20_00, tax: 2_00);

        Assert.Empty(settlement.Captures([], Usd(0), Usd(0), final: true));
    }

    [Fact]
    public void Captures_CapturedSoFarInAnotherCurrency_IsRefused()
    {
        var settlement = Order(subtotal: 20_00, tax: 2_00);

        Assert.Throws<InvalidOperationException>(() => settlement.Captures([Parcel("F1", ("MUG", 1))], new Money(0, "EUR"), Usd(0), final: true));
    }

    [Fact]
    public void Owed_NothingWithheld_IsTheWholeTotal()
    {
        var settlement = Order(subtotal: 20_00, tax: 2_00);

        Assert.Equal(Usd(27_00), settlement.Owed(Usd(0)));
    }

    [Fact]
    public void Owed_GoodsWithheld_IsTheTotalLessTheirValueAndTaxShare()
    {
        var settlement = Order(subtotal: 20_00, tax: 2_00);

        Assert.Equal(Usd(18_20), settlement.Owed(settlement.Withheld(settlement.ValueOf([("CAP", 1)]))));
    }

    [Fact]
    public void Owed_DiscountLargerThanWhatShips_IsNeverBelowZero()
    {
        // A discount (25.00) larger than goods and shipping leaves a total of 2.00; nothing ships (22.00 withheld).
        var settlement = Order(subtotal: 20_00, tax: 2_00, discount: 25_00);

        Assert.Equal(Usd(0), settlement.Owed(settlement.Withheld(Usd(20_00))));
    }

    [Fact]
    public void SingleCapture_TwoParcelsThenNothingWithheld_CapturesWhatPerParcelCapturesAddUpTo()
    {
        // No multicapture: one capture of what the order owes equals the sum the per-parcel captures would have taken.
        var settlement = Order(subtotal: 20_00, tax: 2_00);
        var perParcel = settlement.Captures([Parcel("F1", ("MUG", 1)), Parcel("F2", ("CAP", 1))], Usd(0), Usd(0), final: true);

        var once = settlement.Owed(Usd(0));

        Assert.Equal(perParcel.Aggregate(Usd(0), (sum, c) => sum + c.Amount), once);
        Assert.Equal(Usd(0), settlement.OverCaptured(once, Usd(0)));
    }

    [Fact]
    public void OverCaptured_LineGivenUpAfterTheSingleCapture_IsItsValueAndTaxShare()
    {
        // The whole order (27.00) was captured at the first shipment; the CAP then never shipped.
        var settlement = Order(subtotal: 20_00, tax: 2_00);
        var captured = settlement.Owed(Usd(0));
        var withheld = settlement.Withheld(settlement.ValueOf([("CAP", 1)]));

        var refund = settlement.OverCaptured(captured, withheld);

        Assert.Equal(Usd(8_80), refund);
        Assert.Equal(settlement.Owed(withheld), captured - refund);
    }

    [Fact]
    public void OverCaptured_SomethingAlreadyWithheldAtTheCapture_RefundsOnlyWhatWasGivenUpLater()
    {
        // 2 MUG + 1 CAP (32.00, tax 3.20): one MUG was cancelled before the capture, the CAP after it.
        var settlement = Order(subtotal: 32_00, tax: 3_20);
        var captured = settlement.Owed(settlement.Withheld(settlement.ValueOf([("MUG", 1)])));
        var withheld = settlement.Withheld(settlement.ValueOf([("MUG", 1), ("CAP", 1)]));

        var refund = settlement.OverCaptured(captured, withheld);

        Assert.Equal(Usd(27_00), captured);
        Assert.Equal(Usd(8_80), refund);
        Assert.Equal(Usd(18_20), captured - refund);
    }

    [Fact]
    public void OverCaptured_TaxShareRounding_CapturedLessRefundIsWhatPerParcelCapturesWouldTake()
    {
        // Tax 1.00 over 10.00 of goods: a 3.33 line's share rounds toward zero; the single path must agree to the cent.
        var settlement = Order(subtotal: 10_00, tax: 1_00, shipping: 3_33, prices: [("PEN", 3_33), ("INK", 3_34)]);
        var withheld = settlement.Withheld(settlement.ValueOf([("PEN", 1)]));
        var perParcel = Assert.Single(settlement.Captures([Parcel("F2", ("INK", 1))], Usd(0), withheld, final: true));

        var captured = settlement.Owed(Usd(0));
        var refund = settlement.OverCaptured(captured, withheld);

        Assert.Equal(Usd(3_66), refund);
        Assert.Equal(perParcel.Amount, captured - refund);
    }

    [Fact]
    public void OverCaptured_NeverMoreThanWasCapturedNorBelowZero()
    {
        var settlement = Order(subtotal: 20_00, tax: 2_00, discount: 25_00);

        // Everything given up and the discount beyond the goods: the refund stops at what was captured.
        Assert.Equal(Usd(5_00), settlement.OverCaptured(Usd(5_00), settlement.Withheld(Usd(20_00))));

        // Captured less than is owed (a refused capture): nothing to give back.
        Assert.Equal(Usd(0), Order(subtotal: 20_00, tax: 2_00).OverCaptured(Usd(0), Usd(8_80)));
    }
}
