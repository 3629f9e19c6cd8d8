using System.Text.Json;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Api.Webhooks;

/// <summary>
/// Maps a WooCommerce order (the REST API v3 order resource, which is also the body of an "order.created" webhook) to
/// the canonical <see cref="Order"/>. Like the Shopify mapper it checks structure and types only (required fields
/// present, integers are integers, amounts exact in the order currency); catalog, totals and address completeness are
/// the workflow validator's job.
/// </summary>
/// <remarks>
/// WooCommerce amounts are decimal strings excluding tax: a line's <c>subtotal</c> is before coupons, its <c>total</c>
/// after; <c>discount_total</c> and <c>shipping_total</c> exclude tax and <c>total_tax</c> includes the shipping tax. So
/// the canonical subtotal is the sum of the line subtotals, and subtotal + shipping + tax - discount = total. A line's
/// <c>price</c> is a float (after coupons) and is never used for money.
/// </remarks>
public static class WooCommerceOrderMapper
{
    public const string Source = OrderSources.WooCommerce;

    /// <summary>The order meta key the WooCommerce Stripe gateway stores the PaymentIntent id under.</summary>
    public const string StripeIntentMetaKey = "_stripe_intent_id";

    public static OrderMapResult Map(ReadOnlyMemory<byte> utf8Body) =>
        OrderMapResult.FromJson(utf8Body, "a WooCommerce order", root => new Reader().MapOrder(root));

    /// <summary>Collects every problem in one pass so the sender learns about all of them at once.</summary>
    private sealed class Reader
    {
        private readonly JsonFieldReader json = new();

        public OrderMapResult MapOrder(JsonElement root)
        {
            var externalId = json.Id(root, "id", "id");
            var orderNumber = json.OptionalString(root, "number", "number");
            var currency = json.Currency(root, "currency", "currency");
            var placedAt = json.Timestamp(root, "date_created_gmt", "date_created_gmt");
            var billing = json.OptionalObject(root, "billing", "billing");
            if (billing is null && !json.Reported("billing"))
            {
                json.Add("billing is required");
            }

            var email = billing is { } b ? json.RequiredString(b, "email", "billing.email") : null;
            var firstName = billing is { } b1 ? json.OptionalString(b1, "first_name", "billing.first_name") : null;
            var lastName = billing is { } b2 ? json.OptionalString(b2, "last_name", "billing.last_name") : null;
            var billingPhone = billing is { } b3 ? json.OptionalString(b3, "phone", "billing.phone") : null;
            var billingCountry = billing is { } b4 ? JsonFieldReader.NullIfBlank(json.OptionalString(b4, "country", "billing.country")) : null;
            var customerIp = JsonFieldReader.NullIfBlank(json.OptionalString(root, "customer_ip_address", "customer_ip_address"));
            var address = ShippingAddress(root, billingPhone);
            var lines = LineItems(root, currency);
            var totals = Totals(root, lines, currency);
            Fees(root, currency);
            var paymentReference = PaymentReference(root);

            if (json.HasErrors)
            {
                return OrderMapResult.Failure(json.Errors);
            }

            // Without a Stripe PaymentIntent the store's gateway (PayPal, bank transfer, cash on delivery...) holds the
            // payment: WooCommerce's status and payment date decide, and the order is the reference.
            var payment = paymentReference is null ? ChannelPayment(root, totals!.Total, placedAt!.Value) : null;
            return OrderMapResult.Success(new Order(
                OrderIds.For(Source, externalId!),
                Source,
                externalId!,
                string.IsNullOrWhiteSpace(orderNumber) ? externalId! : orderNumber,
                new Customer(email!, firstName ?? string.Empty, lastName ?? string.Empty, null),
                address!,
                lines!.Select(l => l.Line).ToList(),
                totals!,
                currency!,
                paymentReference ?? ChannelPaymentReference.WooCommerce(externalId!),
                placedAt!.Value) { Payment = payment, BillingCountryCode = billingCountry?.Trim().ToUpperInvariant(), CustomerIp = customerIp?.Trim() });
        }

        /// <summary>
        /// WooCommerce's payment facts: <c>status</c> (missing reads as "unknown", not paid), <c>date_paid_gmt</c> (else
        /// <c>date_paid</c>; <c>set_paid: true</c> counts as paid when the order was placed), <c>payment_method</c> and the total.
        /// </summary>
        private ChannelPayment ChannelPayment(JsonElement root, Money total, DateTimeOffset placedAt)
        {
            var status = JsonFieldReader.NullIfBlank(json.OptionalString(root, "status", "status")) ?? "unknown";
            DateTimeOffset? paidAt = null;
            foreach (var field in (string[])["date_paid_gmt", "date_paid"])
            {
                if (paidAt is null && JsonFieldReader.NullIfBlank(json.OptionalString(root, field, field)) is not null)
                {
                    paidAt = json.Timestamp(root, field, field);
                }
            }

            if (paidAt is null && root.TryGetProperty("set_paid", out var setPaid) && setPaid.ValueKind == JsonValueKind.True)
            {
                paidAt = placedAt;
            }

            var gateway = JsonFieldReader.NullIfBlank(json.OptionalString(root, "payment_method", "payment_method"));
            return new ChannelPayment(Source, status, gateway, total, paidAt);
        }

        private Address? ShippingAddress(JsonElement root, string? billingPhone)
        {
            if (json.OptionalObject(root, "shipping", "shipping") is not { } a)
            {
                if (!json.Reported("shipping"))
                {
                    json.Add("shipping is required");
                }

                return null;
            }

            var name = string.Join(' ', new[]
            {
                json.OptionalString(a, "first_name", "shipping.first_name"),
                json.OptionalString(a, "last_name", "shipping.last_name"),
            }.Where(s => !string.IsNullOrWhiteSpace(s)));
            return new Address(
                name,
                json.OptionalString(a, "address_1", "shipping.address_1") ?? string.Empty,
                JsonFieldReader.NullIfBlank(json.OptionalString(a, "address_2", "shipping.address_2")),
                json.OptionalString(a, "city", "shipping.city") ?? string.Empty,
                JsonFieldReader.NullIfBlank(json.OptionalString(a, "state", "shipping.state")),
                json.OptionalString(a, "postcode", "shipping.postcode") ?? string.Empty,
                json.OptionalString(a, "country", "shipping.country") ?? string.Empty,
                JsonFieldReader.NullIfBlank(json.OptionalString(a, "phone", "shipping.phone")) ?? JsonFieldReader.NullIfBlank(billingPhone));
        }

        private List<MappedLine>? LineItems(JsonElement root, string? currency)
        {
            if (json.Objects(root, "line_items", required: true) is not { } items)
            {
                return null;
            }

            var lines = new List<MappedLine>();
            foreach (var (item, path) in items)
            {
                var id = json.Id(item, "id", $"{path}.id");
                var sku = json.RequiredString(item, "sku", $"{path}.sku");
                var title = json.OptionalString(item, "name", $"{path}.name") ?? string.Empty;
                var quantity = json.Integer(item, "quantity", $"{path}.quantity");
                var subtotal = json.Amount(item, "subtotal", $"{path}.subtotal", currency, required: true);
                if (quantity is <= 0)
                {
                    json.Add($"{path}.quantity must be at least 1");
                    continue;
                }

                if (id is not null && sku is not null && quantity is not null && subtotal is not null)
                {
                    lines.AddRange(Split(id, sku, title, quantity.Value, subtotal.Value, currency!));
                }
            }

            return lines;
        }

        /// <summary>
        /// Canonical lines for one WooCommerce line. The canonical order carries a unit price, and WooCommerce a line
        /// subtotal that need not divide by the quantity (10.00 for 3): then the units that carry the extra minor unit
        /// become a second line ("{id}-2"), so quantity times unit price still adds up to the subtotal exactly.
        /// </summary>
        private static IEnumerable<MappedLine> Split(string id, string sku, string title, int quantity, long subtotal, string currency)
        {
            var unit = Math.DivRem(subtotal, quantity, out var remainder);
            if (remainder == 0)
            {
                yield return new MappedLine(new LineItem(id, sku, title, quantity, new Money(unit, currency)), subtotal);
                yield break;
            }

            var carrying = (int)remainder;
            yield return new MappedLine(new LineItem(id, sku, title, quantity - carrying, new Money(unit, currency)), unit * (quantity - carrying));
            yield return new MappedLine(new LineItem($"{id}-2", sku, title, carrying, new Money(unit + 1, currency)), (unit + 1) * carrying);
        }

        private OrderTotals? Totals(JsonElement root, List<MappedLine>? lines, string? currency)
        {
            var total = json.Amount(root, "total", "total", currency, required: true);
            var discount = json.Amount(root, "discount_total", "discount_total", currency, required: false) ?? 0;
            var shipping = json.Amount(root, "shipping_total", "shipping_total", currency, required: false)
                ?? json.SumOfAmounts(root, "shipping_lines", currency, "total");
            var tax = json.Amount(root, "total_tax", "total_tax", currency, required: false)
                ?? json.SumOfAmounts(root, "tax_lines", currency, "tax_total", "shipping_tax_total");
            if (currency is null || lines is null || total is null || shipping is null || tax is null)
            {
                return null;
            }

            var lineSum = lines.Aggregate(Int128.Zero, (sum, l) => sum + l.Subtotal);
            if (lineSum > long.MaxValue || lineSum < long.MinValue)
            {
                json.Add($"line_items: the subtotals add up to more than {long.MaxValue} minor units");
                return null;
            }

            var subtotal = (long)lineSum;
            return new OrderTotals(
                new Money(subtotal, currency),
                new Money(shipping.Value, currency),
                new Money(tax.Value, currency),
                new Money(discount, currency),
                new Money(total.Value, currency));
        }

        /// <summary>Fees (fee_lines) have no place in the canonical totals: a non-zero one is named rather than left to a totals mismatch.</summary>
        private void Fees(JsonElement root, string? currency)
        {
            if (json.Array(root, "fee_lines", "fee_lines", required: false) is not { } fees)
            {
                return;
            }

            var index = 0;
            foreach (var fee in fees.EnumerateArray())
            {
                var path = $"fee_lines[{index++}]";
                if (fee.ValueKind == JsonValueKind.Object && json.Amount(fee, "total", $"{path}.total", currency, required: false) is { } amount && amount != 0)
                {
                    json.Add($"{path}.total {Currencies.Format(amount, currency!)}: order fees are not supported (the canonical order has subtotal, shipping, tax and discount only)");
                }
            }
        }

        /// <summary>
        /// The Stripe PaymentIntent id when the order was paid through the WooCommerce Stripe gateway (payment_method
        /// "stripe" or "stripe_*"): its "_stripe_intent_id" meta entry, else transaction_id. Other gateways: none.
        /// </summary>
        private string? PaymentReference(JsonElement root)
        {
            var method = json.OptionalString(root, "payment_method", "payment_method");
            if (method is null || !method.StartsWith("stripe", StringComparison.Ordinal))
            {
                return null;
            }

            if (json.Array(root, "meta_data", "meta_data", required: false) is { } meta)
            {
                var index = 0;
                foreach (var entry in meta.EnumerateArray())
                {
                    var path = $"meta_data[{index++}]";
                    if (entry.ValueKind == JsonValueKind.Object
                        && json.OptionalString(entry, "key", $"{path}.key") == StripeIntentMetaKey
                        && entry.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
                        && value.GetString() is { Length: > 0 } intent)
                    {
                        return intent;
                    }
                }
            }

            return JsonFieldReader.NullIfBlank(json.OptionalString(root, "transaction_id", "transaction_id"));
        }

        private sealed record MappedLine(LineItem Line, long Subtotal);
    }
}
