using System.Text;
using System.Text.Json.Nodes;
using OrderFlow.Api.Webhooks;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Validation;
using OrderFlow.Integrations.Tests.Infrastructure;

namespace OrderFlow.Api.Tests.Webhooks;

public sealed class WooCommerceOrderMapperTests
{
    [Fact]
    public void Map_SampleOrder_MapsEveryFieldExactly()
    {
        var result = Map(TestFixtures.WooCommerceOrderJson());

        Assert.True(result.Succeeded, result.Succeeded ? null : result.Error);
        var order = result.Order;
        Assert.Equal("woocommerce-4821", order.OrderId);
        Assert.Equal("woocommerce", order.Source);
        Assert.Equal("4821", order.ExternalId);
        Assert.Equal("4821", order.OrderNumber);
        Assert.Equal("USD", order.Currency);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 19, 32, 5, TimeSpan.Zero), order.PlacedAt);
        Assert.Equal(new Customer("jane.doe@example.com", "Jane", "Doe", null), order.Customer);

        // The shipping phone is empty in the sample: the billing phone stands in.
        Assert.Equal(new Address("Jane Doe", "350 Fifth Avenue", "Apt 4B", "New York", "NY", "10118", "US", "+1 212-555-0147"), order.ShippingAddress);
        Assert.Equal("pi_3QxWooSample4821", order.PaymentReference);
        Assert.Collection(
            order.Lines,
            l => Assert.Equal(new LineItem("311", "SKU-MUG", "Stoneware mug", 2, new(1250, "USD")), l),
            l => Assert.Equal(new LineItem("312", "SKU-TEE", "Organic cotton tee - M", 1, new(2400, "USD")), l));
        Assert.Equal(new OrderTotals(new(4900, "USD"), new(799, "USD"), new(352, "USD"), new(500, "USD"), new(5551, "USD")), order.Totals);
    }

    [Fact]
    public void Map_SampleOrder_TotalsAddUpAndPassDomainValidation()
    {
        var order = Map(TestFixtures.WooCommerceOrderJson()).Order!;

        var t = order.Totals;
        Assert.Equal(t.Total.MinorUnits, t.Subtotal.MinorUnits + t.Shipping.MinorUnits + t.Tax.MinorUnits - t.Discount.MinorUnits);
        var validation = OrderValidator.Validate(order, new HashSet<string>(["SKU-MUG", "SKU-TEE"]));
        Assert.True(validation.IsValid, string.Join("; ", validation.Errors.Select(e => e.Message)));
    }

    [Fact]
    public void Map_SubtotalNotDivisibleByQuantity_SplitsLineSoMoneyStaysExact()
    {
        var json = Fixture();
        json["line_items"]![1]!["quantity"] = 3;
        json["line_items"]![1]!["subtotal"] = "10.00";

        var order = Map(json.ToJsonString()).Order!;

        Assert.Collection(
            order.Lines.Skip(1),
            l => Assert.Equal(new LineItem("312", "SKU-TEE", "Organic cotton tee - M", 2, new(333, "USD")), l),
            l => Assert.Equal(new LineItem("312-2", "SKU-TEE", "Organic cotton tee - M", 1, new(334, "USD")), l));
        Assert.Equal(1000, order.Lines.Skip(1).Sum(l => l.Total.MinorUnits));
        Assert.Equal(3, order.DemandBySku()["SKU-TEE"]);
        Assert.Equal(2500 + 1000, order.Totals.Subtotal.MinorUnits);
    }

    [Fact]
    public void Map_JpyOrder_UsesZeroDecimalMinorUnits()
    {
        var json = Fixture();
        json["currency"] = "JPY";
        json["line_items"]![0]!["subtotal"] = "3000";
        json["line_items"]![1]!["subtotal"] = "2400.00";
        json["discount_total"] = "0";
        json["shipping_total"] = "600";
        json["total_tax"] = "0";
        json["total"] = "6000";

        var result = Map(json.ToJsonString());

        Assert.True(result.Succeeded, result.Succeeded ? null : result.Error);
        Assert.Equal(new(1500, "JPY"), result.Order.Lines[0].UnitPrice);
        Assert.Equal(new(2400, "JPY"), result.Order.Lines[1].UnitPrice);
        Assert.Equal(new OrderTotals(new(5400, "JPY"), new(600, "JPY"), new(0, "JPY"), new(0, "JPY"), new(6000, "JPY")), result.Order.Totals);
    }

    [Fact]
    public void Map_JpyAmountWithFraction_IsRejectedNotRounded()
    {
        var json = Fixture();
        json["currency"] = "JPY";
        json["line_items"]![0]!["subtotal"] = "3000";
        json["line_items"]![1]!["subtotal"] = "2400";
        json["discount_total"] = "0";
        json["shipping_total"] = "600";
        json["total_tax"] = "0";
        json["total"] = "6000.5";

        var result = Map(json.ToJsonString());

        Assert.Equal(["total '6000.5' is not a valid JPY amount (at most 0 decimal places)"], result.Errors);
    }

    [Fact]
    public void Map_ThreeDecimalAmount_InTwoDecimalCurrency_NamesTheField()
    {
        var json = Fixture();
        json["line_items"]![0]!["subtotal"] = "25.005";

        var result = Map(json.ToJsonString());

        Assert.Equal(["line_items[0].subtotal '25.005' is not a valid USD amount (at most 2 decimal places)"], result.Errors);
    }

    [Fact]
    public void Map_LineSubtotalsOverflowingLong_NamesTheLinesInsteadOfThrowing()
    {
        var json = Fixture();
        json["line_items"]![0]!["subtotal"] = "92233720368547758.00";
        json["line_items"]![1]!["subtotal"] = "92233720368547758.00";

        var result = Map(json.ToJsonString());

        Assert.False(result.Succeeded);
        Assert.Contains("line_items: the subtotals add up to more than 9223372036854775807 minor units", result.Errors);
    }

    [Fact]
    public void Map_AmountOverflowingDecimal_NamesTheField()
    {
        var json = Fixture();
        json["line_items"]![0]!["subtotal"] = "79228162514264337593543950335";

        var result = Map(json.ToJsonString());

        Assert.Contains(result.Errors, e => e.StartsWith("line_items[0].subtotal '79228162514264337593543950335' is not a valid USD amount", StringComparison.Ordinal));
    }

    [Fact]
    public void Map_MissingSku_NamesTheLine()
    {
        var json = Fixture();
        json["line_items"]![1]!["sku"] = string.Empty;

        var result = Map(json.ToJsonString());

        Assert.False(result.Succeeded);
        Assert.Equal(["line_items[1].sku is required"], result.Errors);
    }

    [Theory]
    [InlineData("\"2\"", "line_items[0].quantity must be an integer")]
    [InlineData("1.5", "line_items[0].quantity must be an integer")]
    [InlineData("0", "line_items[0].quantity must be at least 1")]
    [InlineData("-1", "line_items[0].quantity must be at least 1")]
    public void Map_BadQuantity_NamesTheField(string quantity, string error)
    {
        var json = Fixture();
        json["line_items"]![0]!["quantity"] = JsonNode.Parse(quantity);

        Assert.Equal([error], Map(json.ToJsonString()).Errors);
    }

    [Fact]
    public void Map_ManyProblems_ReportsEachFieldOnce()
    {
        var json = Fixture();
        json.Remove("id");
        json["currency"] = "usd";
        json["billing"]!["email"] = null;
        json.Remove("shipping");
        json["date_created_gmt"] = "yesterday";
        json.Remove("line_items");

        var errors = Map(json.ToJsonString()).Errors;

        Assert.Equal(
            [
                "id is required",
                "currency 'usd' must be a three-letter upper-case ISO 4217 code",
                "date_created_gmt 'yesterday' is not an ISO 8601 timestamp",
                "billing.email is required",
                "shipping is required",
                "line_items is required",
            ],
            errors);
    }

    [Fact]
    public void Map_NoTotalFields_FallsBackToShippingAndTaxLines()
    {
        var json = Fixture();
        json.Remove("shipping_total");
        json.Remove("total_tax");
        json["tax_lines"]![0]!["shipping_tax_total"] = "0.64";
        json["total"] = "56.15";

        var totals = Map(json.ToJsonString()).Order!.Totals;

        Assert.Equal(799, totals.Shipping.MinorUnits);
        Assert.Equal(352 + 64, totals.Tax.MinorUnits);
        Assert.Equal(5615, totals.Total.MinorUnits);
    }

    [Fact]
    public void Map_NonZeroFee_IsRefusedWithItsAmount()
    {
        var json = Fixture();
        json["fee_lines"] = JsonNode.Parse("""[{"id": 9, "name": "Gift wrap", "total": "2.50", "total_tax": "0.00"}]""");

        var result = Map(json.ToJsonString());

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("fee_lines[0].total 2.50 USD: order fees are not supported", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bacs", "pi_ignored", null, null)]
    [InlineData("stripe", "pi_from_transaction", null, "pi_from_transaction")]
    [InlineData("stripe_sepa", "pi_from_transaction", "pi_from_meta", "pi_from_meta")]
    [InlineData("stripe", "", null, null)]
    public void Map_PaymentReference_OnlyForStripeGateway(string method, string transactionId, string? intentMeta, string? expected)
    {
        var json = Fixture();
        json["payment_method"] = method;
        json["transaction_id"] = transactionId;
        json["meta_data"] = intentMeta is null
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["id"] = 1, ["key"] = WooCommerceOrderMapper.StripeIntentMetaKey, ["value"] = intentMeta });

        var order = Map(json.ToJsonString()).Order!;

        // No Stripe PaymentIntent: the store's gateway holds the payment and the WooCommerce order is the reference.
        Assert.Equal(expected ?? ChannelPaymentReference.WooCommerce(order.ExternalId), order.PaymentReference);
        Assert.Equal(expected is null, order.Payment is not null);
    }

    [Theory]
    [InlineData("processing", null, false, "processing", false)]
    [InlineData("on-hold", null, false, "on-hold", false)]
    [InlineData("pending", "2026-11-21T10:00:00", false, "pending", true)]
    [InlineData("pending", null, true, "pending", true)]
    public void Map_NonStripeGateway_CarriesStatusAndPaymentDate(string status, string? datePaid, bool setPaid, string expectedStatus, bool expectPaidAt)
    {
        var json = Fixture();
        json["payment_method"] = "bacs";
        json["status"] = status;
        json["date_paid_gmt"] = datePaid;
        json["date_paid"] = datePaid;
        json["set_paid"] = setPaid;

        var payment = Map(json.ToJsonString()).Order!.Payment!;

        Assert.Equal(("woocommerce", expectedStatus, "bacs", expectPaidAt), (payment.Channel, payment.Status, payment.Gateway, payment.PaidAt is not null));
    }

    [Theory]
    [InlineData("[1, 2]", "body must be a JSON object (a WooCommerce order)")]
    [InlineData("webhook_id=12", "body is not valid JSON")]
    public void Map_NotAnOrderObject_SaysWhat(string body, string error)
    {
        Assert.StartsWith(error, Assert.Single(Map(body).Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Map_SampleOrder_ReadsBillingCountryAndCustomerIpForFraudScreening()
    {
        var json = Fixture();
        json["billing"]!["country"] = "ca";

        var order = Map(json.ToJsonString()).Order!;

        Assert.Equal(("CA", "203.0.113.24"), (order.BillingCountryCode, order.CustomerIp));
    }

    private static OrderMapResult Map(string body) => WooCommerceOrderMapper.Map(Encoding.UTF8.GetBytes(body));

    private static JsonObject Fixture() => JsonNode.Parse(TestFixtures.WooCommerceOrderJson())!.AsObject();
}
