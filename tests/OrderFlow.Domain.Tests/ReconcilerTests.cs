using OrderFlow.Domain.Common;
using OrderFlow.Domain.Reconciliation;

namespace OrderFlow.Domain.Tests;

/// <summary>The three-way match of one order (order total 53.60 USD: 2 mugs at 12.50, 1 tee at 20.00, shipping 5.00, tax 3.60).</summary>
public sealed class ReconcilerTests
{
    private static Money Usd(long minor) => new(minor, "USD");

    private static OrderFacts Facts(int mugs = 2, int tees = 1, int returnedUnits = 0, long returnedValue = 0)
    {
        var order = TestOrders.Valid();
        var shipped = new Dictionary<string, int>(StringComparer.Ordinal);
        if (mugs > 0)
        {
            shipped["SKU-MUG"] = mugs;
        }

        if (tees > 0)
        {
            shipped["SKU-TEE"] = tees;
        }

        return new OrderFacts(order.OrderId, order.Currency, order.Totals, order.Lines, shipped, returnedUnits, Usd(returnedValue));
    }

    private static PaymentFacts Paid(long captured, long refunded = 0, string currency = "USD") => new(new Money(captured, currency), new Money(refunded, currency));

    private static LedgerFacts Sale(long total, string currency = "USD") => new(false, "o:accounting", new Money(total, currency));

    private static LedgerFacts Refund(long total) => new(true, "o:refund-1", Usd(total));

    [Fact]
    public void ExpectedCharge_FullyShipped_IsTheOrderTotal()
    {
        Assert.Equal(Usd(5360), Reconciler.ExpectedCharge(Facts()));
    }

    [Fact]
    public void ExpectedCharge_PartiallyShipped_WithholdsUnshippedValueAndItsShareOfTax()
    {
        // Tee not shipped: 20.00 withheld, plus tax 3.60 x 20.00 / 45.00 = 1.60, as the order workflow captures and books it.
        Assert.Equal(Usd(3200), Reconciler.ExpectedCharge(Facts(tees: 0)));
    }

    [Fact]
    public void ExpectedCharge_NothingShipped_IsZero()
    {
        Assert.Equal(Usd(0), Reconciler.ExpectedCharge(Facts(mugs: 0, tees: 0)));
    }

    [Fact]
    public void Reconcile_FullyShippedChargedAndBooked_FlagsNothing()
    {
        var result = Reconciler.Reconcile(Facts(), Paid(5360), [Sale(5360)]);

        Assert.True(result.Matched);
        Assert.Equal(Usd(5360), result.Expected);
        Assert.Equal(Usd(5360), result.Charged);
        Assert.Equal(Usd(5360), result.Booked);
    }

    [Fact]
    public void Reconcile_PartiallyShippedAndCapturedPerShipment_FlagsNothing()
    {
        Assert.True(Reconciler.Reconcile(Facts(tees: 0), Paid(3200), [Sale(3200)]).Matched);
    }

    [Fact]
    public void Reconcile_CancelledBeforeShippingAndNeverCaptured_FlagsNothing()
    {
        Assert.True(Reconciler.Reconcile(Facts(mugs: 0, tees: 0), Paid(0), []).Matched);
    }

    [Fact]
    public void Reconcile_CancelledCapturedAndRefunded_NeedsNoCreditNoteAndFlagsNothing()
    {
        // Nothing was sold, so nothing was booked and the refund reverses no sale.
        var result = Reconciler.Reconcile(Facts(mugs: 0, tees: 0), Paid(5360, 5360), []);

        Assert.True(result.Matched, string.Join("; ", result.Mismatches));
    }

    [Fact]
    public void Reconcile_ReturnedGoodsRefundedAndCredited_FlagsNothing()
    {
        var result = Reconciler.Reconcile(Facts(returnedUnits: 1, returnedValue: 2160), Paid(5360, 2160), [Sale(5360), Refund(2160)]);

        Assert.True(result.Matched, string.Join("; ", result.Mismatches));
    }

    [Fact]
    public void Reconcile_CapturedButNothingShipped_IsChargedNotShipped()
    {
        var m = Assert.Single(Reconciler.Reconcile(Facts(mugs: 0, tees: 0), Paid(5360), []).Mismatches);

        Assert.Equal(MismatchKind.ChargedNotShipped, m.Kind);
        Assert.Equal(ReconciliationSubject.Payment, m.Subject);
        Assert.Equal(Usd(0), m.Expected);
        Assert.Equal(Usd(5360), m.Actual);
    }

    [Fact]
    public void Reconcile_PaidUpFrontPartiallyShippedAndTheRestRefunded_FlagsNothing()
    {
        // Captured 53.60 up front, the tee did not ship: 21.60 (20.00 + its tax share) went back, 32.00 booked.
        Assert.True(Reconciler.Reconcile(Facts(tees: 0), Paid(5360, refunded: 2160), [Sale(3200)]).Matched);
    }

    [Fact]
    public void Reconcile_PaidUpFrontPartiallyShippedAndRefundedTooMuch_IsRefundedNotRestocked()
    {
        // 21.60 went back for the unshipped tee; the other 8.40 left without goods coming back (and no credit note).
        var mismatches = Reconciler.Reconcile(Facts(tees: 0), Paid(5360, refunded: 3000), [Sale(3200)]).Mismatches;

        Assert.Contains(mismatches, m => m.Kind == MismatchKind.RefundedNotRestocked);
        Assert.Equal(Usd(840), Assert.Single(mismatches, m => m.Kind == MismatchKind.MissingAccountingDocument).Expected);
    }

    [Fact]
    public void Reconcile_PartiallyShippedButChargedInFull_IsChargedNotShipped()
    {
        var m = Assert.Single(Reconciler.Reconcile(Facts(tees: 0), Paid(5360), [Sale(3200)]).Mismatches);

        Assert.Equal(MismatchKind.ChargedNotShipped, m.Kind);
        Assert.Equal(Usd(3200), m.Expected);
        Assert.Equal(Usd(5360), m.Actual);
    }

    [Fact]
    public void Reconcile_ShippedAndNeverCaptured_IsShippedNotCharged()
    {
        var m = Assert.Single(Reconciler.Reconcile(Facts(), Paid(0), [Sale(5360)]).Mismatches);

        Assert.Equal(MismatchKind.ShippedNotCharged, m.Kind);
        Assert.Equal(Usd(5360), m.Expected);
        Assert.Equal(Usd(0), m.Actual);
    }

    [Fact]
    public void Reconcile_ShippedWithoutPaymentRecordAtTheProvider_IsShippedNotCharged()
    {
        var m = Assert.Single(Reconciler.Reconcile(Facts(), null, [Sale(5360)]).Mismatches);

        Assert.Equal(MismatchKind.ShippedNotCharged, m.Kind);
    }

    [Fact]
    public void Reconcile_RefundedWithoutGoodsComingBack_IsRefundedNotRestockedOnly()
    {
        // The credit note is booked, so only the missing return is flagged (not also the net payment).
        var m = Assert.Single(Reconciler.Reconcile(Facts(), Paid(5360, 1250), [Sale(5360), Refund(1250)]).Mismatches);

        Assert.Equal(MismatchKind.RefundedNotRestocked, m.Kind);
        Assert.Equal(ReconciliationSubject.Refund, m.Subject);
        Assert.Equal(Usd(0), m.Expected);
        Assert.Equal(Usd(1250), m.Actual);
    }

    [Fact]
    public void Reconcile_RefundedMoreThanTheReturnedGoodsAreWorth_IsRefundedNotRestocked()
    {
        var m = Assert.Single(Reconciler.Reconcile(Facts(returnedUnits: 1, returnedValue: 1250), Paid(5360, 2000), [Sale(5360), Refund(2000)]).Mismatches);

        Assert.Equal(MismatchKind.RefundedNotRestocked, m.Kind);
        Assert.Equal(Usd(1250), m.Expected);
        Assert.Equal(Usd(2000), m.Actual);
    }

    [Fact]
    public void Reconcile_ShippedAndChargedWithoutSaleDocument_IsMissingAccountingDocument()
    {
        var m = Assert.Single(Reconciler.Reconcile(Facts(), Paid(5360), []).Mismatches);

        Assert.Equal(MismatchKind.MissingAccountingDocument, m.Kind);
        Assert.Equal(ReconciliationSubject.AccountingSale, m.Subject);
        Assert.Equal(Usd(5360), m.Expected);
        Assert.Equal(Usd(0), m.Actual);
    }

    [Fact]
    public void Reconcile_RefundWithoutCreditNote_IsMissingAccountingDocumentForTheRefund()
    {
        var m = Assert.Single(Reconciler.Reconcile(Facts(returnedUnits: 1, returnedValue: 2160), Paid(5360, 2160), [Sale(5360)]).Mismatches);

        Assert.Equal(MismatchKind.MissingAccountingDocument, m.Kind);
        Assert.Equal(ReconciliationSubject.AccountingRefund, m.Subject);
        Assert.Equal(Usd(2160), m.Expected);
    }

    [Fact]
    public void Reconcile_CapturedLessThanShippedValue_IsAmountDiffersOnThePayment()
    {
        var m = Assert.Single(Reconciler.Reconcile(Facts(), Paid(5000), [Sale(5360)]).Mismatches);

        Assert.Equal(MismatchKind.AmountDiffers, m.Kind);
        Assert.Equal(ReconciliationSubject.Payment, m.Subject);
        Assert.Equal(Usd(5360), m.Expected);
        Assert.Equal(Usd(5000), m.Actual);
    }

    [Fact]
    public void Reconcile_SaleBookedForAnotherAmount_IsAmountDiffersOnTheBooks()
    {
        var m = Assert.Single(Reconciler.Reconcile(Facts(), Paid(5360), [Sale(5000)]).Mismatches);

        Assert.Equal(MismatchKind.AmountDiffers, m.Kind);
        Assert.Equal(ReconciliationSubject.AccountingSale, m.Subject);
        Assert.Equal(Usd(5000), m.Actual);
    }

    [Fact]
    public void Reconcile_SaleBookedTwice_IsAmountDiffersOnTheBooks()
    {
        var m = Assert.Single(Reconciler.Reconcile(Facts(), Paid(5360), [Sale(5360), Sale(5360)]).Mismatches);

        Assert.Equal(MismatchKind.AmountDiffers, m.Kind);
        Assert.Equal(Usd(10720), m.Actual);
    }

    [Fact]
    public void Reconcile_PaymentInAnotherCurrency_IsCurrencyDiffersWithoutAmountNoise()
    {
        var m = Assert.Single(Reconciler.Reconcile(Facts(), Paid(5360, currency: "EUR"), [Sale(5360)]).Mismatches);

        Assert.Equal(MismatchKind.CurrencyDiffers, m.Kind);
        Assert.Equal(ReconciliationSubject.Payment, m.Subject);
        Assert.Equal("EUR", m.Actual.Currency);
    }

    [Fact]
    public void Reconcile_SaleDocumentInAnotherCurrency_IsCurrencyDiffers()
    {
        var m = Assert.Single(Reconciler.Reconcile(Facts(), Paid(5360), [Sale(5360, "EUR")]).Mismatches);

        Assert.Equal(MismatchKind.CurrencyDiffers, m.Kind);
        Assert.Equal(ReconciliationSubject.AccountingSale, m.Subject);
    }

    [Fact]
    public void CaseId_IsStablePerOrderKindAndSubject()
    {
        var m = new ReconciliationMismatch(MismatchKind.AmountDiffers, ReconciliationSubject.Payment, Usd(1), Usd(2), "x");

        Assert.Equal("shop-1-reconcile-AmountDiffers-payment", m.CaseId("shop-1"));
        Assert.Equal(m.CaseId("shop-1"), (m with { Actual = Usd(3) }).CaseId("shop-1"));
    }
}
