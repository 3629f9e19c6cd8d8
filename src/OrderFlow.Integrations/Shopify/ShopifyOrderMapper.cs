using System.Globalization;
using System.Text;
using System.Text.Json;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Integrations.Shopify;

/// <summary>
/// Maps a Shopify "orders/create" webhook body to the canonical <see cref="Order"/>. Checks structure and types only
/// (required fields present, integers are integers, amounts exact in the order currency); catalog, totals and address
/// completeness are the workflow validator's job, so an incomplete address becomes a case a person can fix.
/// </summary>
public static class ShopifyOrderMapper
{
    public const string Source = "shopify";
    public const string PaymentIntentField = "payment_intent_id";

    public static ShopifyMapResult Map(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Map(Encoding.UTF8.GetBytes(body));
    }

    public static ShopifyMapResult Map(ReadOnlyMemory<byte> utf8Body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Body);
        }
        catch (JsonException ex)
        {
            return ShopifyMapResult.Failure([$"body is not valid JSON: {ex.Message}"]);
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new Reader().MapOrder(document.RootElement)
                : ShopifyMapResult.Failure(["body must be a JSON object (a Shopify order)"]);
        }
    }

    /// <summary>Collects every problem in one pass so the sender learns about all of them at once.</summary>
    private sealed class Reader
    {
        private readonly List<string> errors = [];

        public ShopifyMapResult MapOrder(JsonElement root)
        {
            var externalId = Id(root, "id", "id");
            var orderNumber = RequiredString(root, "name", "name");
            var customerElement = OptionalObject(root, "customer", "customer");
            var email = OptionalString(root, "email", "email")
                ?? OptionalString(root, "contact_email", "contact_email")
                ?? (customerElement is { } c ? OptionalString(c, "email", "customer.email") : null);
            if (string.IsNullOrWhiteSpace(email))
            {
                errors.Add("email is required");
            }

            var currency = Currency(root);
            var placedAt = Timestamp(root, "created_at", "created_at");
            var address = ShippingAddress(root);
            var lines = LineItems(root, currency);
            var totals = Totals(root, currency);
            var paymentReference = PaymentReference(root);

            var firstName = (customerElement is { } c1 ? OptionalString(c1, "first_name", "customer.first_name") : null) ?? address?.FirstName ?? string.Empty;
            var lastName = (customerElement is { } c2 ? OptionalString(c2, "last_name", "customer.last_name") : null) ?? address?.LastName ?? string.Empty;
            var locale = OptionalString(root, "customer_locale", "customer_locale")
                ?? (customerElement is { } c3 ? OptionalString(c3, "locale", "customer.locale") : null);

            if (errors.Count > 0)
            {
                return ShopifyMapResult.Failure(errors);
            }

            return ShopifyMapResult.Success(new Order(
                OrderIds.For(Source, externalId!),
                Source,
                externalId!,
                orderNumber!,
                new Customer(email!, firstName, lastName, locale),
                address!.Address,
                lines!,
                totals!,
                currency!,
                paymentReference,
                placedAt!.Value));
        }

        private string? Currency(JsonElement root)
        {
            var currency = RequiredString(root, "currency", "currency");
            if (currency is not null && !Currencies.IsValidCode(currency))
            {
                errors.Add($"currency '{currency}' must be a three-letter upper-case ISO 4217 code");
                return null;
            }

            return currency;
        }

        private MappedAddress? ShippingAddress(JsonElement root)
        {
            if (OptionalObject(root, "shipping_address", "shipping_address") is not { } a)
            {
                if (!errors.Any(e => e.StartsWith("shipping_address", StringComparison.Ordinal)))
                {
                    errors.Add("shipping_address is required");
                }

                return null;
            }

            var first = OptionalString(a, "first_name", "shipping_address.first_name");
            var last = OptionalString(a, "last_name", "shipping_address.last_name");
            var name = OptionalString(a, "name", "shipping_address.name")
                ?? string.Join(' ', new[] { first, last }.Where(s => !string.IsNullOrWhiteSpace(s)));
            var address = new Address(
                name,
                OptionalString(a, "address1", "shipping_address.address1") ?? string.Empty,
                NullIfBlank(OptionalString(a, "address2", "shipping_address.address2")),
                OptionalString(a, "city", "shipping_address.city") ?? string.Empty,
                NullIfBlank(OptionalString(a, "province_code", "shipping_address.province_code")),
                OptionalString(a, "zip", "shipping_address.zip") ?? string.Empty,
                OptionalString(a, "country_code", "shipping_address.country_code") ?? string.Empty,
                NullIfBlank(OptionalString(a, "phone", "shipping_address.phone")));
            return new MappedAddress(address, first, last);
        }

        private List<LineItem>? LineItems(JsonElement root, string? currency)
        {
            if (!root.TryGetProperty("line_items", out var items) || items.ValueKind == JsonValueKind.Null)
            {
                errors.Add("line_items is required");
                return null;
            }

            if (items.ValueKind != JsonValueKind.Array)
            {
                errors.Add("line_items must be an array");
                return null;
            }

            var lines = new List<LineItem>();
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                var path = $"line_items[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"{path} must be an object");
                    continue;
                }

                var id = Id(item, "id", $"{path}.id");
                var sku = OptionalString(item, "sku", $"{path}.sku") ?? string.Empty;
                var title = OptionalString(item, "title", $"{path}.title") ?? OptionalString(item, "name", $"{path}.name") ?? string.Empty;
                var quantity = Integer(item, "quantity", $"{path}.quantity");
                var price = Amount(item, "price", $"{path}.price", currency, required: true);
                if (id is not null && quantity is not null && price is not null)
                {
                    lines.Add(new LineItem(id, sku, title, quantity.Value, new Money(price.Value, currency!)));
                }
            }

            return lines;
        }

        private OrderTotals? Totals(JsonElement root, string? currency)
        {
            // Shopify's subtotal_price is after discounts; the canonical subtotal is the sum of the lines before them
            // (total_line_items_price), so that subtotal + shipping + tax - discount = total.
            var discount = Amount(root, "total_discounts", "total_discounts", currency, required: false) ?? 0;
            var lineItemsTotal = Amount(root, "total_line_items_price", "total_line_items_price", currency, required: false);
            long? subtotal = lineItemsTotal;
            if (subtotal is null)
            {
                var afterDiscounts = Amount(root, "subtotal_price", "subtotal_price", currency, required: true);
                subtotal = afterDiscounts is null ? null : afterDiscounts + discount;
            }

            var total = Amount(root, "total_price", "total_price", currency, required: true);
            var tax = Amount(root, "total_tax", "total_tax", currency, required: false) ?? 0;
            var shipping = Shipping(root, currency);
            if (currency is null || subtotal is null || total is null || shipping is null)
            {
                return null;
            }

            return new OrderTotals(
                new Money(subtotal.Value, currency),
                new Money(shipping.Value, currency),
                new Money(tax, currency),
                new Money(discount, currency),
                new Money(total.Value, currency));
        }

        private long? Shipping(JsonElement root, string? currency)
        {
            if (root.TryGetProperty("total_shipping_price_set", out var set) && set.ValueKind == JsonValueKind.Object
                && set.TryGetProperty("shop_money", out var shopMoney) && shopMoney.ValueKind == JsonValueKind.Object)
            {
                return Amount(shopMoney, "amount", "total_shipping_price_set.shop_money.amount", currency, required: true);
            }

            if (!root.TryGetProperty("shipping_lines", out var shippingLines) || shippingLines.ValueKind == JsonValueKind.Null)
            {
                return 0;
            }

            if (shippingLines.ValueKind != JsonValueKind.Array)
            {
                errors.Add("shipping_lines must be an array");
                return null;
            }

            long sum = 0;
            var index = 0;
            var ok = true;
            foreach (var line in shippingLines.EnumerateArray())
            {
                var path = $"shipping_lines[{index++}]";
                if (line.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"{path} must be an object");
                    ok = false;
                    continue;
                }

                if (Amount(line, "price", $"{path}.price", currency, required: true) is { } price)
                {
                    sum = checked(sum + price);
                }
                else
                {
                    ok = false;
                }
            }

            return ok ? sum : null;
        }

        private string? PaymentReference(JsonElement root)
        {
            if (OptionalString(root, PaymentIntentField, PaymentIntentField) is { Length: > 0 } direct)
            {
                return direct;
            }

            if (!root.TryGetProperty("note_attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var index = 0;
            foreach (var attribute in attributes.EnumerateArray())
            {
                var path = $"note_attributes[{index++}]";
                if (attribute.ValueKind == JsonValueKind.Object
                    && OptionalString(attribute, "name", $"{path}.name") == PaymentIntentField
                    && OptionalString(attribute, "value", $"{path}.value") is { Length: > 0 } value)
                {
                    return value;
                }
            }

            return null;
        }

        private string? Id(JsonElement parent, string property, string path)
        {
            if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                errors.Add($"{path} is required");
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            {
                return number.ToString(CultureInfo.InvariantCulture);
            }

            if (value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
            {
                return value.GetString();
            }

            errors.Add($"{path} must be an integer or a non-empty string");
            return null;
        }

        private string? RequiredString(JsonElement parent, string property, string path)
        {
            var value = OptionalString(parent, property, path);
            if (string.IsNullOrWhiteSpace(value) && !errors.Any(e => e.StartsWith(path + " ", StringComparison.Ordinal)))
            {
                errors.Add($"{path} is required");
                return null;
            }

            return value;
        }

        private string? OptionalString(JsonElement parent, string property, string path)
        {
            if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                errors.Add($"{path} must be a string");
                return null;
            }

            return value.GetString();
        }

        private JsonElement? OptionalObject(JsonElement parent, string property, string path)
        {
            if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{path} must be an object");
                return null;
            }

            return value;
        }

        private int? Integer(JsonElement parent, string property, string path)
        {
            if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                errors.Add($"{path} is required");
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            {
                return number;
            }

            errors.Add($"{path} must be an integer");
            return null;
        }

        private DateTimeOffset? Timestamp(JsonElement parent, string property, string path)
        {
            var text = RequiredString(parent, property, path);
            if (text is null)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            {
                return value;
            }

            errors.Add($"{path} '{text}' is not an ISO 8601 timestamp");
            return null;
        }

        /// <summary>An exact amount in minor units; Shopify sends decimal strings, bare JSON numbers are read from their raw text.</summary>
        private long? Amount(JsonElement parent, string property, string path, string? currency, bool required)
        {
            if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    errors.Add($"{path} is required");
                }

                return null;
            }

            string? text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            };
            if (text is null)
            {
                errors.Add($"{path} must be a decimal amount");
                return null;
            }

            if (currency is null)
            {
                // The currency problem is reported once; amounts cannot be interpreted without it.
                return null;
            }

            if (Currencies.TryParseMinorUnits(text, currency, out var minorUnits))
            {
                return minorUnits;
            }

            var exponent = Currencies.Exponent(currency);
            errors.Add($"{path} '{text}' is not a valid {currency} amount (at most {exponent} decimal place{(exponent == 1 ? string.Empty : "s")})");
            return null;
        }

        private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

        private sealed record MappedAddress(Address Address, string? FirstName, string? LastName);
    }
}
