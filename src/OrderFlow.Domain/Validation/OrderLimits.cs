using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Domain.Validation;

/// <summary>
/// Bounds an order must fit before intake accepts it: ids short enough for table keys and instance ids, amounts and
/// quantities small enough that no later sum or product overflows. An order outside them is refused at intake (422)
/// instead of being accepted and then failing in its workflow.
/// </summary>
public static class OrderLimits
{
    /// <summary>Largest amount (any field, any line total, the sum of line totals) in minor units: 10^15.</summary>
    public const long MaxAmountMinorUnits = 1_000_000_000_000_000;

    /// <summary>Largest summed quantity of one SKU in one order.</summary>
    public const int MaxQuantityPerSku = 1_000_000;

    /// <summary>Longest SKU, as PUT /api/inventory/{sku} allows.</summary>
    public const int MaxSkuLength = 100;

    /// <summary>Longest payment reference (it is a table key of the payment index).</summary>
    public const int MaxPaymentReferenceLength = 256;

    /// <summary>Every bound the order breaks, each naming the field and the limit; empty when it fits.</summary>
    public static IReadOnlyList<ValidationError> Check(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var errors = new List<ValidationError>();
        if (order.ExternalId is { Length: > OrderIds.MaxExternalIdLength } externalId)
        {
            errors.Add(new("externalId", "length", $"The channel order id is {externalId.Length} characters; at most {OrderIds.MaxExternalIdLength} are accepted."));
        }

        if (order.PaymentReference is { Length: > MaxPaymentReferenceLength } reference)
        {
            errors.Add(new("paymentReference", "length", $"The payment reference is {reference.Length} characters; at most {MaxPaymentReferenceLength} are accepted."));
        }

        Int128 lineSum = 0;
        var quantities = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < (order.Lines?.Count ?? 0); i++)
        {
            var line = order.Lines![i];
            if (line.Sku is { Length: > MaxSkuLength } sku)
            {
                errors.Add(new($"lines[{i}].sku", "length", $"The SKU is {sku.Length} characters; at most {MaxSkuLength} are accepted."));
            }

            var lineTotal = (Int128)line.UnitPrice.MinorUnits * line.Quantity;
            if (Int128.Abs(lineTotal) > MaxAmountMinorUnits)
            {
                errors.Add(new($"lines[{i}]", "amount", $"Unit price x quantity is {lineTotal} minor units; at most {MaxAmountMinorUnits} are accepted."));
            }

            lineSum += lineTotal;
            quantities[line.Sku ?? string.Empty] = quantities.GetValueOrDefault(line.Sku ?? string.Empty) + line.Quantity;
        }

        if (Int128.Abs(lineSum) > MaxAmountMinorUnits)
        {
            errors.Add(new("lines", "amount", $"The line totals add up to {lineSum} minor units; at most {MaxAmountMinorUnits} are accepted."));
        }

        foreach (var (sku, quantity) in quantities.Where(q => q.Value > MaxQuantityPerSku))
        {
            errors.Add(new("lines", "quantity", $"SKU '{Shorten(sku)}' is ordered {quantity} times; at most {MaxQuantityPerSku} units of one SKU are accepted."));
        }

        if (order.Totals is { } totals)
        {
            Amount(totals.Subtotal, "totals.subtotal");
            Amount(totals.Shipping, "totals.shipping");
            Amount(totals.Tax, "totals.tax");
            Amount(totals.Discount, "totals.discount");
            Amount(totals.Total, "totals.total");
        }

        return errors;

        void Amount(Money money, string field)
        {
            if (money.MinorUnits is > MaxAmountMinorUnits or < -MaxAmountMinorUnits)
            {
                errors.Add(new(field, "amount", $"{field} is {money.MinorUnits} minor units; at most {MaxAmountMinorUnits} are accepted."));
            }
        }
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
