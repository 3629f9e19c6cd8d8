using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Reconciliation;

/// <summary>
/// The three-way match of one order: fulfilled value (order store) vs captured - refunded (payment provider) vs sales -
/// refunds (accounting documents). Pure: the facts come in, the mismatches go out. Each (kind, subject) appears at most
/// once per order, so each becomes at most one case.
/// </summary>
public static class Reconciler
{
    /// <summary>
    /// What the order workflow captures and books for the units that shipped: the order total less the value of the units
    /// that did not ship and their share of the tax (tax x unshipped / subtotal, rounded down), the very arithmetic of its
    /// completion step. Nothing when nothing shipped (the workflow cancels such an order).
    /// </summary>
    public static Money ExpectedCharge(OrderFacts order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.ShippedUnitCount <= 0)
        {
            return Money.Zero(order.Currency);
        }

        var notShipped = Money.Zero(order.Currency);
        var demand = order.Lines.GroupBy(l => l.Sku, StringComparer.Ordinal).Select(g => (Sku: g.Key, Quantity: g.Sum(l => l.Quantity), Price: g.First().UnitPrice));
        foreach (var (sku, quantity, price) in demand)
        {
            var missing = quantity - Math.Min(quantity, order.ShippedUnits.GetValueOrDefault(sku));
            notShipped += price.Times(missing);
        }

        var t = order.Totals;
        var taxNotShipped = new Money(t.Subtotal.MinorUnits == 0 ? 0 : t.Tax.MinorUnits * notShipped.MinorUnits / t.Subtotal.MinorUnits, order.Currency);
        return t.Total - notShipped - taxNotShipped;
    }

    public static ReconciliationResult Reconcile(OrderFacts order, PaymentFacts? payment, IReadOnlyList<LedgerFacts> documents)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(documents);
        var currency = order.Currency;
        var zero = Money.Zero(currency);
        var expected = ExpectedCharge(order);
        var shipped = order.ShippedUnitCount > 0;
        var mismatches = new List<ReconciliationMismatch>();
        payment ??= PaymentFacts.None(currency);

        // ---- payment provider vs order store -----------------------------------------------------------------------
        var paymentComparable = SameCurrency(payment.Captured, currency) && SameCurrency(payment.Refunded, currency);
        var charged = paymentComparable ? payment.Captured - payment.Refunded : zero;
        if (!paymentComparable)
        {
            var other = payment.Captured.Currency != currency ? payment.Captured : payment.Refunded;
            mismatches.Add(new(MismatchKind.CurrencyDiffers, ReconciliationSubject.Payment, expected, other,
                $"The order is in {currency}; the payment provider holds {other.Currency} ({payment.Captured} captured, {payment.Refunded} refunded)."));
        }
        else
        {
            // Refunds are explained by goods received back, and by giving back what was captured up front for goods that
            // never shipped; beyond that, money left without goods coming back.
            var notShippedRefund = payment.Captured - expected;
            var allowance = order.ReturnedValue + (notShippedRefund.MinorUnits > 0 ? notShippedRefund : zero);
            var explained = shipped ? Min(payment.Refunded, allowance) : payment.Refunded;
            var unexplained = payment.Refunded - explained;
            if (unexplained.MinorUnits > 0)
            {
                mismatches.Add(new(MismatchKind.RefundedNotRestocked, ReconciliationSubject.Refund, order.ReturnedValue, payment.Refunded,
                    $"{payment.Refunded} was refunded on a shipped order, but only {order.ReturnedUnits} unit(s) worth {order.ReturnedValue} came back."));
            }

            var expectedNet = expected - order.ReturnedValue;
            var net = payment.Captured - explained;
            if (!shipped && net.MinorUnits > 0)
            {
                mismatches.Add(new(MismatchKind.ChargedNotShipped, ReconciliationSubject.Payment, zero, net,
                    $"Nothing shipped, yet {payment.Captured} was captured and {payment.Refunded} refunded."));
            }
            else if (shipped && net.MinorUnits <= 0 && expectedNet.MinorUnits > 0)
            {
                mismatches.Add(new(MismatchKind.ShippedNotCharged, ReconciliationSubject.Payment, expectedNet, net,
                    $"{order.ShippedUnitCount} unit(s) shipped worth {expectedNet}, and nothing was collected."));
            }
            else if (shipped && order.ShippedUnitCount < order.OrderedUnitCount && net.MinorUnits > expectedNet.MinorUnits)
            {
                mismatches.Add(new(MismatchKind.ChargedNotShipped, ReconciliationSubject.Payment, expectedNet, net,
                    $"{order.ShippedUnitCount} of {order.OrderedUnitCount} unit(s) shipped, worth {expectedNet}; {net} was kept."));
            }
            else if (net != expectedNet && (shipped || net.MinorUnits < 0))
            {
                mismatches.Add(new(MismatchKind.AmountDiffers, ReconciliationSubject.Payment, expectedNet, net,
                    $"Shipped goods are worth {expectedNet}; the provider holds {payment.Captured} captured - {payment.Refunded} refunded."));
            }
        }

        // ---- accounting documents vs order store and provider ------------------------------------------------------
        var foreign = documents.FirstOrDefault(d => !SameCurrency(d.Total, currency));
        if (foreign is not null)
        {
            mismatches.Add(new(MismatchKind.CurrencyDiffers, foreign.IsRefund ? ReconciliationSubject.AccountingRefund : ReconciliationSubject.AccountingSale,
                expected, foreign.Total, $"The order is in {currency}; accounting document {foreign.Reference} is in {foreign.Total.Currency}."));
        }

        var sales = documents.Where(d => !d.IsRefund && SameCurrency(d.Total, currency)).ToList();
        var refunds = documents.Where(d => d.IsRefund && SameCurrency(d.Total, currency)).ToList();
        var booked = Sum(sales, currency);
        var bookedRefunds = Sum(refunds, currency);
        if (shipped && sales.Count == 0 && foreign is not { IsRefund: false })
        {
            mismatches.Add(new(MismatchKind.MissingAccountingDocument, ReconciliationSubject.AccountingSale, expected, zero,
                $"{order.ShippedUnitCount} unit(s) shipped worth {expected}, and the books hold no sale document."));
        }
        else if (sales.Count > 0 && booked != expected)
        {
            mismatches.Add(new(MismatchKind.AmountDiffers, ReconciliationSubject.AccountingSale, expected, booked,
                $"Shipped goods are worth {expected}; {sales.Count} sale document(s) book {booked}."));
        }

        // Money given back for goods that were never sold (a cancellation, the unshipped part of an order paid up front)
        // reverses no sale, so it needs no credit note; refunds of booked sales (returns) do.
        var unbooked = paymentComparable ? Min(payment.Refunded, Max(payment.Captured - expected, zero)) : zero;
        var toBook = paymentComparable ? payment.Refunded - unbooked : zero;
        if (paymentComparable && toBook.MinorUnits > 0 && refunds.Count == 0 && foreign is not { IsRefund: true })
        {
            mismatches.Add(new(MismatchKind.MissingAccountingDocument, ReconciliationSubject.AccountingRefund, toBook, zero,
                $"The provider refunded {payment.Refunded} ({toBook} for goods that were sold), and the books hold no refund document."));
        }
        else if (paymentComparable && refunds.Count > 0 && bookedRefunds != toBook)
        {
            mismatches.Add(new(MismatchKind.AmountDiffers, ReconciliationSubject.AccountingRefund, toBook, bookedRefunds,
                $"The provider refunded {payment.Refunded} ({toBook} for goods that were sold); {refunds.Count} refund document(s) book {bookedRefunds}."));
        }

        return new ReconciliationResult(order.OrderId, expected, charged, booked - bookedRefunds, mismatches);
    }

    private static bool SameCurrency(Money money, string currency) => string.Equals(money.Currency, currency, StringComparison.Ordinal);

    private static Money Min(Money a, Money b) => a.MinorUnits <= b.MinorUnits ? a : b;

    private static Money Max(Money a, Money b) => a.MinorUnits >= b.MinorUnits ? a : b;

    private static Money Sum(IEnumerable<LedgerFacts> documents, string currency) =>
        documents.Aggregate(Money.Zero(currency), (sum, d) => sum + d.Total);
}
