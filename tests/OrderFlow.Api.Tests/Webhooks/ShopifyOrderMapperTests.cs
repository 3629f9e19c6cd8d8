using System.Text.Json.Nodes;
using OrderFlow.Api.Webhooks;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Validation;
using OrderFlow.Integrations.Tests.Infrastructure;

namespace OrderFlow.Api.Tests.Webhooks;

public sealed class ShopifyOrderMapperTests
{
    [Fact]
    public void Map_FixtureOrder_MapsEveryFieldExactly()
    {
        var result = ShopifyOrderMapper.Map(TestFixtures.ShopifyOrderJson());

        Assert.True(result.Succeeded, result.Succeeded ? null : result.Error);
        var order = result.Order;
        Assert.Equal(OrderIds.For("shopify", "5678901234567"), order.OrderId);
        Assert.Equal("shopify-5678901234567", order.OrderId);
        Assert.Equal("shopify", order.Source);
        Assert.Equal("5678901234567", order.ExternalId);
        Assert.Equal("#1001", order.OrderNumber);
        Assert.Equal("USD", order.Currency);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 19, 32, 5, TimeSpan.Zero), order.PlacedAt);
        Assert.Equal(new Customer("jane.doe@example.com", "Jane", "Doe", "en-US"), order.Customer);
        Assert.Equal(new Address("Jane Doe", "350 Fifth Avenue", "Apt 4B", "New York", "NY", "10118", "US", "+1 212-555-0147"), order.ShippingAddress);
        Assert.Equal("pi_3QfR2sLkdIwHu7ix0a1b2c3d", order.PaymentReference);

        Assert.Collection(
            order.Lines,
            l => Assert.Equal(new LineItem("14567890123401", "SKU-MUG", "Ceramic Mug", 2, new(1250, "USD")), l),
            l => Assert.Equal(new LineItem("14567890123402", "SKU-TEE", "Logo T-Shirt", 1, new(2400, "USD")), l));
        Assert.Equal(new OrderTotals(new(4900, "USD"), new(699, "USD"), new(352, "USD"), new(500, "USD"), new(5451, "USD")), order.Totals);
    }

    [Fact]
    public void Map_FixtureOrder_PassesDomainValidation()
    {
        var order = ShopifyOrderMapper.Map(TestFixtures.ShopifyOrderJson()).Order!;

        var validation = OrderValidator.Validate(order, new HashSet<string>(["SKU-MUG", "SKU-TEE"]));

        Assert.True(validation.IsValid, string.Join("; ", validation.Errors.Select(e => e.Message)));
    }

    [Fact]
    public void Map_PriceWithTwoDecimals_IsExactMinorUnits()
    {
        var json = Fixture();
        json["line_items"]![0]!["price"] = "19.99";

        var result = ShopifyOrderMapper.Map(json.ToJsonString());

        Assert.Equal(1999, result.Order!.Lines[0].UnitPrice.MinorUnits);
    }

    [Fact]
    public void Map_JpyOrder_UsesZeroDecimalMinorUnits()
    {
        var json = Fixture();
        json["currency"] = "JPY";
        json["line_items"]![0]!["price"] = "1500";
        json["line_items"]![1]!["price"] = "2400";
        json["total_line_items_price"] = "5400";
        json["total_discounts"] = "0";
        json["total_tax"] = "0";
        json["total_shipping_price_set"]!["shop_money"]!["amount"] = "600";
        json["total_price"] = "6000";

        var result = ShopifyOrderMapper.Map(json.ToJsonString());

        Assert.True(result.Succeeded, result.Succeeded ? null : result.Error);
        Assert.Equal(1500, result.Order.Lines[0].UnitPrice.MinorUnits);
        Assert.Equal("JPY", result.Order.Lines[0].UnitPrice.Currency);
        Assert.Equal(6000, result.Order.Totals.Total.MinorUnits);
    }

    [Fact]
    public void Map_TopLevelPaymentIntent_WinsOverNoteAttribute()
    {
        var json = Fixture();
        json["payment_intent_id"] = "pi_top_level";

        Assert.Equal("pi_top_level", ShopifyOrderMapper.Map(json.ToJsonString()).Order!.PaymentReference);
    }

    [Fact]
    public void Map_NoPaymentIntentAnywhere_ShopifyIsThePaymentAuthority()
    {
        var json = Fixture();
        json.Remove("note_attributes");

        var order = ShopifyOrderMapper.Map(json.ToJsonString()).Order!;

        Assert.Equal("gid://shopify/Order/5678901234567", order.PaymentReference);
        Assert.Equal(new ChannelPayment("shopify", "paid", "stripe", new Money(5451, "USD")), order.Payment);
    }

    [Fact]
    public void Map_StripeReference_CarriesNoChannelPayment()
    {
        Assert.Null(ShopifyOrderMapper.Map(TestFixtures.ShopifyOrderJson()).Order!.Payment);
    }

    [Fact]
    public void Map_RealisticSample_MapsWithShopifyAsPaymentAuthority()
    {
        var result = ShopifyOrderMapper.Map(TestFixtures.SampleShopifyOrderJson());

        Assert.True(result.Succeeded, result.Succeeded ? null : result.Error);
        var order = result.Order;
        Assert.Equal("shopify-5678901234567", order.OrderId);
        Assert.Equal(ChannelPaymentReference.Shopify("5678901234567"), order.PaymentReference);
        Assert.Equal(new ChannelPayment("shopify", "paid", "shopify_payments", new Money(5451, "USD")), order.Payment);
        Assert.Equal(new Money(5451, "USD"), order.Totals.Total);
        Assert.Equal(["SKU-MUG", "SKU-TEE"], order.Lines.Select(l => l.Sku));
        Assert.Equal(new Address("Jane Doe", "350 Fifth Avenue", "Apt 4B", "New York", "NY", "10118", "US", "+1 212-555-0147"), order.ShippingAddress);
    }

    [Theory]
    [InlineData("authorized", "authorized")]
    [InlineData("pending", "pending")]
    [InlineData(null, "unknown")]
    public void Map_FinancialStatus_CarriedAsChannelPaymentStatus(string? financialStatus, string expected)
    {
        var json = JsonNode.Parse(TestFixtures.SampleShopifyOrderJson())!.AsObject();
        json["financial_status"] = financialStatus;
        json["payment_gateway_names"] = new JsonArray();
        json["gateway"] = "manual";

        var payment = ShopifyOrderMapper.Map(json.ToJsonString()).Order!.Payment!;

        Assert.Equal((expected, "manual"), (payment.Status, payment.Gateway));
    }

    [Fact]
    public void Map_NoShippingPriceSet_SumsShippingLines()
    {
        var json = Fixture();
        json.Remove("total_shipping_price_set");
        json["shipping_lines"]!.AsArray().Add(new JsonObject { ["price"] = "1.01", ["title"] = "Insurance" });

        Assert.Equal(800, ShopifyOrderMapper.Map(json.ToJsonString()).Order!.Totals.Shipping.MinorUnits);
    }

    [Fact]
    public void Map_ShippingLinesOverflowingLong_NamesTheFieldInsteadOfThrowing()
    {
        var json = Fixture();
        json.Remove("total_shipping_price_set");
        json["shipping_lines"]!.AsArray().Add(new JsonObject { ["price"] = "92233720368547758.00", ["title"] = "Freight" });
        json["shipping_lines"]!.AsArray().Add(new JsonObject { ["price"] = "92233720368547758.00", ["title"] = "Freight" });

        var result = ShopifyOrderMapper.Map(json.ToJsonString());

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains("the shipping_lines amounts add up to more than", StringComparison.Ordinal));
    }

    [Fact]
    public void Map_NoTotalLineItemsPrice_SubtotalIsSubtotalPricePlusDiscounts()
    {
        var json = Fixture();
        json.Remove("total_line_items_price");

        Assert.Equal(4900, ShopifyOrderMapper.Map(json.ToJsonString()).Order!.Totals.Subtotal.MinorUnits);
    }

    [Fact]
    public void Map_BodyNotJson_FailsWithJsonReason()
    {
        var result = ShopifyOrderMapper.Map("{\"id\": 1, \"name\": ");

        Assert.False(result.Succeeded);
        Assert.StartsWith("body is not valid JSON: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_JsonArrayBody_Fails()
    {
        Assert.Equal("body must be a JSON object (a Shopify order)", ShopifyOrderMapper.Map("[]").Error);
    }

    [Fact]
    public void Map_MissingLineItems_FailsNamingField()
    {
        var json = Fixture();
        json.Remove("line_items");

        var result = ShopifyOrderMapper.Map(json.ToJsonString());

        Assert.False(result.Succeeded);
        Assert.Equal(["line_items is required"], result.Errors);
    }

    [Fact]
    public void Map_QuantityNotInteger_FailsNamingLineAndField()
    {
        var json = Fixture();
        json["line_items"]![1]!["quantity"] = 1.5;

        var result = ShopifyOrderMapper.Map(json.ToJsonString());

        Assert.Equal(["line_items[1].quantity must be an integer"], result.Errors);
    }

    [Fact]
    public void Map_QuantityAsString_Fails()
    {
        var json = Fixture();
        json["line_items"]![0]!["quantity"] = "2";

        Assert.Equal(["line_items[0].quantity must be an integer"], ShopifyOrderMapper.Map(json.ToJsonString()).Errors);
    }

    [Fact]
    public void Map_PriceWithThreeDecimalsInUsd_FailsNamingField()
    {
        var json = Fixture();
        json["line_items"]![0]!["price"] = "12.505";

        var result = ShopifyOrderMapper.Map(json.ToJsonString());

        Assert.Equal(["line_items[0].price '12.505' is not a valid USD amount (at most 2 decimal places)"], result.Errors);
    }

    [Fact]
    public void Map_SeveralRequiredFieldsMissing_NamesEachOne()
    {
        var json = Fixture();
        foreach (var field in new[] { "id", "name", "currency", "created_at", "total_price", "shipping_address", "email", "contact_email" })
        {
            json.Remove(field);
        }

        json["customer"]!.AsObject().Remove("email");

        var errors = ShopifyOrderMapper.Map(json.ToJsonString()).Errors;

        Assert.Equal(
            new[] { "id is required", "name is required", "email is required", "currency is required", "created_at is required", "total_price is required", "shipping_address is required" }.Order(),
            errors.Order());
    }

    [Fact]
    public void Map_InvalidCurrencyAndWrongTypes_ReportsEach()
    {
        var json = Fixture();
        json["currency"] = "usd";
        json["name"] = 1001;
        json["created_at"] = "yesterday";

        var errors = ShopifyOrderMapper.Map(json.ToJsonString()).Errors;

        Assert.Contains("currency 'usd' must be a three-letter upper-case ISO 4217 code", errors);
        Assert.Contains("name must be a string", errors);
        Assert.Contains("created_at 'yesterday' is not an ISO 8601 timestamp", errors);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Map_IncompleteAddressAndUnknownSku_StillMaps()
    {
        // Completeness and catalog are the workflow validator's job (they become cases, not rejected webhooks).
        var json = Fixture();
        json["shipping_address"]!["zip"] = null;
        json["line_items"]![0]!["sku"] = null;

        var result = ShopifyOrderMapper.Map(json.ToJsonString());

        Assert.True(result.Succeeded, result.Succeeded ? null : result.Error);
        Assert.Equal(string.Empty, result.Order.ShippingAddress.PostalCode);
        Assert.Equal(string.Empty, result.Order.Lines[0].Sku);
    }

    [Fact]
    public void Map_FixtureOrder_ReadsBillingCountryAndBrowserIpForFraudScreening()
    {
        var order = ShopifyOrderMapper.Map(TestFixtures.ShopifyOrderJson()).Order!;

        Assert.Equal(("US", "203.0.113.24", (string?)null), (order.BillingCountryCode, order.CustomerIp, order.ChannelRiskLevel));
    }

    [Fact]
    public void Map_BrowserIpOnlyInClientDetails_IsRead()
    {
        var json = Fixture();
        json.Remove("browser_ip");
        json["client_details"] = new JsonObject { ["browser_ip"] = "198.51.100.7" };

        Assert.Equal("198.51.100.7", ShopifyOrderMapper.Map(json.ToJsonString()).Order!.CustomerIp);
    }

    [Theory]
    [InlineData("""{"risk":{"assessments":[{"risk_level":"LOW"},{"risk_level":"HIGH"}]}}""", "high")]
    [InlineData("""{"risk":{"assessments":[{"riskLevel":"MEDIUM"}]}}""", "medium")]
    [InlineData("""{"risks":[{"recommendation":"accept"},{"recommendation":"investigate"}]}""", "medium")]
    [InlineData("""{"risks":[{"recommendation":"cancel"}]}""", "high")]
    [InlineData("""{"risks":[{"recommendation":"accept"}]}""", "low")]
    [InlineData("""{"risks":"not-an-array"}""", null)]
    public void Map_ShopifyRiskAssessments_HighestLevelKept(string extra, string? expected)
    {
        var json = Fixture();
        foreach (var (key, value) in JsonNode.Parse(extra)!.AsObject().ToList())
        {
            json[key] = value?.DeepClone();
        }

        var result = ShopifyOrderMapper.Map(json.ToJsonString());

        Assert.True(result.Succeeded, result.Succeeded ? null : result.Error);
        Assert.Equal(expected, result.Order!.ChannelRiskLevel);
    }

    private static JsonObject Fixture() => JsonNode.Parse(TestFixtures.ShopifyOrderJson())!.AsObject();
}
