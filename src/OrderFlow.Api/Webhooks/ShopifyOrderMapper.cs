using System.Text;
using System.Text.Json;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Api.Webhooks;

/// <summary>
/// Maps a Shopify "orders/create" webhook body to the canonical <see cref="Order"/>. Checks structure and types only
/// (required fields present, integers are integers, amounts exact in the order currency); catalog, totals and address
/// completeness are the workflow validator's job, so an incomplete address becomes a case a person can fix.
/// </summary>
public static class ShopifyOrderMapper
{
    public const string Source = OrderSources.Shopify;
    public const string PaymentIntentField = "payment_intent_id";

    public static OrderMapResult Map(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Map(Encoding.UTF8.GetBytes(body));
    }

    public static OrderMapResult Map(ReadOnlyMemory<byte> utf8Body) =>
        OrderMapResult.FromJson(utf8Body, "a Shopify order", root => new Reader().MapOrder(root));

    /// <summary>Collects every problem in one pass so the sender learns about all of them at once.</summary>
    private sealed class Reader
    {
        private readonly JsonFieldReader json = new();

        public OrderMapResult MapOrder(JsonElement root)
        {
            var externalId = json.Id(root, "id", "id");
            var orderNumber = json.RequiredString(root, "name", "name");
            var customerElement = json.OptionalObject(root, "customer", "customer");
            var email = json.OptionalString(root, "email", "email")
                ?? json.OptionalString(root, "contact_email", "contact_email")
                ?? (customerElement is { } c ? json.OptionalString(c, "email", "customer.email") : null);
            if (string.IsNullOrWhiteSpace(email))
            {
                json.Add("email is required");
            }

            var currency = json.Currency(root, "currency", "currency");
            var placedAt = json.Timestamp(root, "created_at", "created_at");
            var address = ShippingAddress(root);
            var lines = LineItems(root, currency);
            var totals = Totals(root, currency);
            var paymentReference = PaymentReference(root);
            var billingCountry = json.OptionalObject(root, "billing_address", "billing_address") is { } billing
                ? JsonFieldReader.NullIfBlank(json.OptionalString(billing, "country_code", "billing_address.country_code"))
                : null;
            var browserIp = JsonFieldReader.NullIfBlank(json.OptionalString(root, "browser_ip", "browser_ip"))
                ?? (json.OptionalObject(root, "client_details", "client_details") is { } client
                    ? JsonFieldReader.NullIfBlank(json.OptionalString(client, "browser_ip", "client_details.browser_ip"))
                    : null);

            var firstName = (customerElement is { } c1 ? json.OptionalString(c1, "first_name", "customer.first_name") : null) ?? address?.FirstName ?? string.Empty;
            var lastName = (customerElement is { } c2 ? json.OptionalString(c2, "last_name", "customer.last_name") : null) ?? address?.LastName ?? string.Empty;
            var locale = json.OptionalString(root, "customer_locale", "customer_locale")
                ?? (customerElement is { } c3 ? json.OptionalString(c3, "locale", "customer.locale") : null);

            if (json.HasErrors)
            {
                return OrderMapResult.Failure(json.Errors);
            }

            // No Stripe PaymentIntent (real Shopify orders carry none): Shopify is the payment authority, and the
            // order's GID is the reference that routes verify, capture and refund to it.
            var payment = paymentReference is null ? ChannelPayment(root, totals!.Total) : null;
            return OrderMapResult.Success(new Order(
                OrderIds.For(Source, externalId!),
                Source,
                externalId!,
                orderNumber!,
                new Customer(email!, firstName, lastName, locale),
                address!.Address,
                lines!,
                totals!,
                currency!,
                paymentReference ?? ChannelPaymentReference.Shopify(externalId!),
                placedAt!.Value)
            {
                Payment = payment,
                BillingCountryCode = billingCountry?.Trim().ToUpperInvariant(),
                CustomerIp = browserIp?.Trim(),
                ChannelRiskLevel = RiskLevel(root),
            });
        }

        /// <summary>
        /// Shopify's payment facts: <c>financial_status</c> (missing reads as "unknown", which is not paid), the
        /// gateways (<c>payment_gateway_names</c>, else the deprecated <c>gateway</c>) and the total it charges.
        /// </summary>
        private ChannelPayment ChannelPayment(JsonElement root, Money total)
        {
            var status = JsonFieldReader.NullIfBlank(json.OptionalString(root, "financial_status", "financial_status")) ?? "unknown";
            var gateways = new List<string>();
            if (root.TryGetProperty("payment_gateway_names", out var names) && names.ValueKind == JsonValueKind.Array)
            {
                gateways.AddRange(names.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).Where(n => n.Length > 0));
            }

            var gateway = gateways.Count > 0 ? string.Join(", ", gateways) : JsonFieldReader.NullIfBlank(json.OptionalString(root, "gateway", "gateway"));
            return new ChannelPayment(Source, status, gateway, total);
        }

        private MappedAddress? ShippingAddress(JsonElement root)
        {
            if (json.OptionalObject(root, "shipping_address", "shipping_address") is not { } a)
            {
                if (!json.Reported("shipping_address"))
                {
                    json.Add("shipping_address is required");
                }

                return null;
            }

            var first = json.OptionalString(a, "first_name", "shipping_address.first_name");
            var last = json.OptionalString(a, "last_name", "shipping_address.last_name");
            var name = json.OptionalString(a, "name", "shipping_address.name")
                ?? string.Join(' ', new[] { first, last }.Where(s => !string.IsNullOrWhiteSpace(s)));
            var address = new Address(
                name,
                json.OptionalString(a, "address1", "shipping_address.address1") ?? string.Empty,
                JsonFieldReader.NullIfBlank(json.OptionalString(a, "address2", "shipping_address.address2")),
                json.OptionalString(a, "city", "shipping_address.city") ?? string.Empty,
                JsonFieldReader.NullIfBlank(json.OptionalString(a, "province_code", "shipping_address.province_code")),
                json.OptionalString(a, "zip", "shipping_address.zip") ?? string.Empty,
                json.OptionalString(a, "country_code", "shipping_address.country_code") ?? string.Empty,
                JsonFieldReader.NullIfBlank(json.OptionalString(a, "phone", "shipping_address.phone")));
            return new MappedAddress(address, first, last);
        }

        private List<LineItem>? LineItems(JsonElement root, string? currency)
        {
            if (json.Objects(root, "line_items", required: true) is not { } items)
            {
                return null;
            }

            var lines = new List<LineItem>();
            foreach (var (item, path) in items)
            {
                var id = json.Id(item, "id", $"{path}.id");
                var sku = json.OptionalString(item, "sku", $"{path}.sku") ?? string.Empty;
                var title = json.OptionalString(item, "title", $"{path}.title") ?? json.OptionalString(item, "name", $"{path}.name") ?? string.Empty;
                var quantity = json.Integer(item, "quantity", $"{path}.quantity");
                var price = json.Amount(item, "price", $"{path}.price", currency, required: true);
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
            var discount = json.Amount(root, "total_discounts", "total_discounts", currency, required: false) ?? 0;
            var lineItemsTotal = json.Amount(root, "total_line_items_price", "total_line_items_price", currency, required: false);
            long? subtotal = lineItemsTotal;
            if (subtotal is null)
            {
                var afterDiscounts = json.Amount(root, "subtotal_price", "subtotal_price", currency, required: true);
                subtotal = afterDiscounts is null ? null : afterDiscounts + discount;
            }

            var total = json.Amount(root, "total_price", "total_price", currency, required: true);
            var tax = json.Amount(root, "total_tax", "total_tax", currency, required: false) ?? 0;
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
                return json.Amount(shopMoney, "amount", "total_shipping_price_set.shop_money.amount", currency, required: true);
            }

            return json.SumOfAmounts(root, "shipping_lines", currency, "price");
        }

        private string? PaymentReference(JsonElement root)
        {
            if (json.OptionalString(root, PaymentIntentField, PaymentIntentField) is { Length: > 0 } direct)
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
                    && json.OptionalString(attribute, "name", $"{path}.name") == PaymentIntentField
                    && json.OptionalString(attribute, "value", $"{path}.value") is { Length: > 0 } value)
                {
                    return value;
                }
            }

            return null;
        }


        /// <summary>
        /// Shopify's own fraud analysis when the payload carries it, as the highest level: GraphQL-shaped
        /// <c>risk.assessments[].risk_level</c> (or <c>riskLevel</c>: HIGH, MEDIUM, LOW, NONE, PENDING) and REST
        /// <c>risks[].recommendation</c> (cancel = high, investigate = medium, accept = low). Unknown shapes are ignored
        /// (screening input, never a reason to refuse the order). Null when none is present.
        /// </summary>
        public static string? RiskLevel(JsonElement root)
        {
            var levels = new List<string>();
            if (root.TryGetProperty("risk", out var risk) && risk.ValueKind == JsonValueKind.Object
                && risk.TryGetProperty("assessments", out var assessments) && assessments.ValueKind == JsonValueKind.Array)
            {
                foreach (var a in assessments.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object))
                {
                    if ((a.TryGetProperty("risk_level", out var level) || a.TryGetProperty("riskLevel", out level)) && level.ValueKind == JsonValueKind.String)
                    {
                        levels.Add(level.GetString()!.Trim().ToUpperInvariant() switch { "HIGH" => "high", "MEDIUM" => "medium", _ => "low" });
                    }
                }
            }

            if (root.TryGetProperty("risks", out var risks) && risks.ValueKind == JsonValueKind.Array)
            {
                foreach (var r in risks.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object))
                {
                    if (r.TryGetProperty("recommendation", out var recommendation) && recommendation.ValueKind == JsonValueKind.String)
                    {
                        levels.Add(recommendation.GetString()!.Trim().ToLowerInvariant() switch { "cancel" => "high", "investigate" => "medium", _ => "low" });
                    }
                }
            }

            return levels.Contains("high") ? "high" : levels.Contains("medium") ? "medium" : levels.Count > 0 ? "low" : null;
        }

        private sealed record MappedAddress(Address Address, string? FirstName, string? LastName);
    }
}
