using System.Globalization;
using OrderFlow.Domain.Common;

namespace OrderFlow.Domain.Returns;

/// <summary>
/// Pure return rules: whether a request is authorized (window, non-returnable SKUs, quantities) and how much a return
/// refunds. Time comes in as an argument, so orchestrators and handlers get the same answer for the same facts.
/// </summary>
public static class ReturnPolicy
{
    /// <summary>Judges a request; every broken rule gives one reason a person can read.</summary>
    public static ReturnAuthorization Authorize(IReadOnlyList<ReturnLine> requested, ReturnFacts facts, ReturnRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(rules);
        var reasons = new List<string>();
        if (requested.Count == 0)
        {
            reasons.Add("No items were requested.");
        }

        if (facts.ReturnableFrom is not { } from)
        {
            reasons.Add("Nothing of the order has shipped yet; it can be cancelled instead.");
        }
        else if (now > from.AddDays(rules.WindowDays))
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"The {rules.WindowDays}-day return window ended on {from.AddDays(rules.WindowDays):yyyy-MM-dd}."));
        }

        foreach (var line in requested.Where(l => l.Quantity <= 0))
        {
            reasons.Add($"{line.Sku}: the quantity must be positive.");
        }

        var demand = requested.Where(l => l.Quantity > 0)
            .GroupBy(l => l.Sku, StringComparer.Ordinal)
            .Select(g => (Sku: g.Key, Quantity: g.Sum(l => l.Quantity)))
            .OrderBy(d => d.Sku, StringComparer.Ordinal);
        foreach (var (sku, quantity) in demand)
        {
            if (rules.NonReturnableSkus.Contains(sku, StringComparer.Ordinal))
            {
                reasons.Add($"{sku} is not returnable.");
                continue;
            }

            var available = facts.Shipped.GetValueOrDefault(sku) - facts.AlreadyReturned.GetValueOrDefault(sku);
            if (quantity > available)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{sku}: {quantity} requested, {Math.Max(available, 0)} shipped and not yet returned."));
            }
        }

        return reasons.Count == 0 ? ReturnAuthorization.Granted : new ReturnAuthorization(false, reasons);
    }

    /// <summary>
    /// The refund for <paramref name="units"/> (SKU, quantity): items at their unit price, their share of the order's
    /// tax (tax x items / subtotal, as the order workflow withholds it), the shipping charge when asked, still
    /// refundable and any item is refunded, minus the restocking fee (percent of the items, rounded down, plus the fixed fee), never below zero.
    /// </summary>
    public static RefundQuote Quote(IEnumerable<(string Sku, int Quantity)> units, ReturnPricing pricing, bool refundShipping, ReturnRules rules)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(pricing);
        ArgumentNullException.ThrowIfNull(rules);
        var currency = pricing.Currency;
        var items = Money.Zero(currency);
        foreach (var (sku, quantity) in units)
        {
            if (!pricing.UnitPrices.TryGetValue(sku, out var price))
            {
                throw new ArgumentException($"SKU {sku} is not on the order.", nameof(units));
            }

            items += price.Times(quantity);
        }

        var subtotal = pricing.Subtotal.MinorUnits;
        var tax = new Money(subtotal == 0 ? 0 : checked(pricing.Tax.MinorUnits * items.MinorUnits / subtotal), currency);
        var shipping = refundShipping && pricing.ShippingRefundable && items.MinorUnits > 0 ? pricing.Shipping : Money.Zero(currency);
        var gross = items + tax + shipping;
        var fee = items.MinorUnits == 0
            ? 0
            : checked((items.MinorUnits * rules.RestockingFeePercent / 100) + rules.RestockingFeeFixedMinor);
        var restocking = new Money(Math.Clamp(fee, 0, Math.Max(gross.MinorUnits, 0)), currency);
        return new RefundQuote(items, tax, shipping, restocking, gross - restocking);
    }
}
