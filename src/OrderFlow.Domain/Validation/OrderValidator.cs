using OrderFlow.Domain.Orders;

namespace OrderFlow.Domain.Validation;

/// <summary>
/// Pure validation of a canonical order: items exist and are sellable, quantities are sane,
/// no amount is negative and the money adds up to the minor unit, currency is consistent and the address is complete.
/// Messages name the field and the rule; they never quote what the customer typed (name, address, phone), because
/// they reach the order timeline, cases and approver alerts.
/// </summary>
public static class OrderValidator
{
    public const int MaxQuantityPerLine = 1000;

    public static ValidationResult Validate(Order order, IReadOnlySet<string> sellableSkus)
    {
        var errors = new List<ValidationError>();

        if (order.Lines.Count == 0)
        {
            errors.Add(new("lines", "required", "The order has no line items."));
        }

        for (var i = 0; i < order.Lines.Count; i++)
        {
            var line = order.Lines[i];
            var field = $"lines[{i}]";
            if (string.IsNullOrWhiteSpace(line.Sku))
            {
                errors.Add(new($"{field}.sku", "required", $"Line {line.LineId} has no SKU."));
            }
            else if (!sellableSkus.Contains(line.Sku))
            {
                errors.Add(new($"{field}.sku", "unknownSku", $"SKU '{line.Sku}' is not in the catalog or is not sellable."));
            }

            if (line.Quantity <= 0)
            {
                errors.Add(new($"{field}.quantity", "positive", $"Line {line.LineId} has quantity {line.Quantity}; it must be at least 1."));
            }
            else if (line.Quantity > MaxQuantityPerLine)
            {
                errors.Add(new($"{field}.quantity", "max", $"Line {line.LineId} has quantity {line.Quantity}; the limit is {MaxQuantityPerLine}."));
            }

            if (line.UnitPrice.Currency != order.Currency)
            {
                errors.Add(new($"{field}.unitPrice", "currency", $"Line {line.LineId} is priced in {line.UnitPrice.Currency} but the order is in {order.Currency}."));
            }
            else if (line.UnitPrice.IsNegative)
            {
                errors.Add(new($"{field}.unitPrice", "nonNegative", $"Line {line.LineId} has a negative price."));
            }
        }

        ValidateTotals(order, errors);
        ValidateAddress(order.ShippingAddress, errors);
        return errors.Count == 0 ? ValidationResult.Valid : new ValidationResult(errors);
    }

    private static void ValidateTotals(Order order, List<ValidationError> errors)
    {
        var t = order.Totals;
        var amounts = new[] { t.Subtotal, t.Shipping, t.Tax, t.Discount, t.Total };
        if (amounts.Any(a => a.Currency != order.Currency))
        {
            errors.Add(new("totals", "currency", $"All totals must be in the order currency {order.Currency}."));
            return;
        }

        if (errors.Any(e => e.Rule == "currency"))
        {
            return;
        }

        // A negative amount would pay out instead of charging (e.g. a discount larger than the subtotal gives a negative total).
        NonNegative(t.Subtotal, "totals.subtotal", errors);
        NonNegative(t.Shipping, "totals.shipping", errors);
        NonNegative(t.Tax, "totals.tax", errors);
        NonNegative(t.Discount, "totals.discount", errors);
        NonNegative(t.Total, "totals.total", errors);
        if (!t.Discount.IsNegative && !t.Subtotal.IsNegative && t.Discount.MinorUnits > t.Subtotal.MinorUnits)
        {
            errors.Add(new("totals.discount", "notAboveSubtotal", $"The discount {t.Discount} is larger than the subtotal {t.Subtotal}."));
        }

        var lineSum = order.Lines.Aggregate(Common.Money.Zero(order.Currency), (sum, l) => sum + l.Total);
        if (lineSum != t.Subtotal)
        {
            errors.Add(new("totals.subtotal", "sum", $"Line totals add up to {lineSum} but the subtotal is {t.Subtotal}."));
        }

        var expected = t.Subtotal + t.Shipping + t.Tax - t.Discount;
        if (expected != t.Total)
        {
            errors.Add(new("totals.total", "sum", $"Subtotal + shipping + tax - discount = {expected} but the total is {t.Total}."));
        }
    }

    private static void NonNegative(Common.Money amount, string field, List<ValidationError> errors)
    {
        if (amount.IsNegative)
        {
            errors.Add(new(field, "nonNegative", $"{field} is {amount}; it must not be negative."));
        }
    }

    private static void ValidateAddress(Address a, List<ValidationError> errors)
    {
        Require(a.Name, "shippingAddress.name", "The shipping address has no recipient name.", errors);
        Require(a.Line1, "shippingAddress.line1", "The shipping address has no street line.", errors);
        Require(a.City, "shippingAddress.city", "The shipping address has no city.", errors);
        Require(a.PostalCode, "shippingAddress.postalCode", "The shipping address has no postal code.", errors);
        if (a.CountryCode is not { Length: 2 } || !a.CountryCode.All(char.IsAsciiLetterUpper))
        {
            errors.Add(new("shippingAddress.countryCode", "iso3166", "shippingAddress.countryCode is not a two-letter ISO 3166 country code in upper case."));
        }

        AddressRules.Validate(a, errors);
    }

    private static void Require(string? value, string field, string message, List<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, "required", message));
        }
    }
}
