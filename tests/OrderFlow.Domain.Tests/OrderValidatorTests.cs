using OrderFlow.Domain.Common;
using OrderFlow.Domain.Validation;

namespace OrderFlow.Domain.Tests;

public class OrderValidatorTests
{
    [Fact]
    public void Validate_ValidOrder_NoErrors() =>
        Assert.True(OrderValidator.Validate(TestOrders.Valid(), TestOrders.Catalog).IsValid);

    [Fact]
    public void Validate_UnknownSku_NamesFieldAndSku()
    {
        var order = TestOrders.Valid();
        order = order with { Lines = [order.Lines[0] with { Sku = "SKU-NOPE" }, order.Lines[1]] };
        var error = Assert.Single(OrderValidator.Validate(order, TestOrders.Catalog).Errors, e => e.Rule == "unknownSku");
        Assert.Equal("lines[0].sku", error.Field);
        Assert.Contains("SKU-NOPE", error.Message);
    }

    [Fact]
    public void Validate_ZeroQuantity_Fails()
    {
        var order = TestOrders.Valid();
        order = order with { Lines = [order.Lines[0] with { Quantity = 0 }, order.Lines[1]] };
        Assert.Contains(OrderValidator.Validate(order, TestOrders.Catalog).Errors, e => e is { Field: "lines[0].quantity", Rule: "positive" });
    }

    [Fact]
    public void Validate_TotalOffByOneCent_Fails()
    {
        var order = TestOrders.Valid();
        order = order with { Totals = order.Totals with { Total = new Money(5361, "USD") } };
        var error = Assert.Single(OrderValidator.Validate(order, TestOrders.Catalog).Errors);
        Assert.Equal("totals.total", error.Field);
    }

    [Fact]
    public void Validate_MixedCurrency_Fails()
    {
        var order = TestOrders.Valid();
        order = order with { Lines = [order.Lines[0] with { UnitPrice = new Money(1250, "EUR") }, order.Lines[1]] };
        Assert.Contains(OrderValidator.Validate(order, TestOrders.Catalog).Errors, e => e.Rule == "currency");
    }

    [Fact]
    public void Validate_MissingPostalCode_IsAddressOnly()
    {
        var order = TestOrders.Valid();
        order = order with { ShippingAddress = order.ShippingAddress with { PostalCode = " " } };
        var result = OrderValidator.Validate(order, TestOrders.Catalog);
        Assert.True(result.OnlyAddressErrors);
        Assert.Equal("shippingAddress.postalCode", Assert.Single(result.Errors).Field);
    }

    [Theory]
    [InlineData("subtotal")]
    [InlineData("shipping")]
    [InlineData("tax")]
    [InlineData("discount")]
    [InlineData("total")]
    public void Validate_NegativeAmount_RefusedNamingTheField(string amount)
    {
        var order = TestOrders.Valid();
        var t = order.Totals;
        var minus = new Money(-100, "USD");
        order = order with
        {
            Totals = amount switch
            {
                "subtotal" => t with { Subtotal = minus },
                "shipping" => t with { Shipping = minus },
                "tax" => t with { Tax = minus },
                "discount" => t with { Discount = minus },
                _ => t with { Total = minus },
            },
        };

        var result = OrderValidator.Validate(order, TestOrders.Catalog);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors, e => e.Rule == "nonNegative");
        Assert.Equal($"totals.{amount}", error.Field);
        Assert.Contains($"totals.{amount}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DiscountLargerThanSubtotal_RefusedEvenWhenTheSumsAddUp()
    {
        // Subtotal 45.00 + shipping 5.00 + tax 0 - discount 90.00 = -40.00: consistent sums, but a payout, not a sale.
        var order = TestOrders.Valid();
        order = order with
        {
            Totals = order.Totals with { Shipping = new Money(500, "USD"), Tax = new Money(0, "USD"), Discount = new Money(9000, "USD"), Total = new Money(-4000, "USD") },
        };

        var errors = OrderValidator.Validate(order, TestOrders.Catalog).Errors;

        Assert.Contains(errors, e => e is { Field: "totals.discount", Rule: "notAboveSubtotal" });
        Assert.Contains(errors, e => e is { Field: "totals.total", Rule: "nonNegative" });
        Assert.DoesNotContain(errors, e => e.Rule == "sum");
        Assert.False(OrderValidator.Validate(order, TestOrders.Catalog).OnlyAddressErrors);
    }

    [Fact]
    public void Validate_NegativeUnitPrice_RefusedNamingTheLine()
    {
        // Lines -12.50 x 2 + 20.00 = -5.00 subtotal; totals follow the lines so only the sign is wrong.
        var order = TestOrders.Valid();
        order = order with
        {
            Lines = [order.Lines[0] with { UnitPrice = new Money(-1250, "USD") }, order.Lines[1]],
            Totals = order.Totals with { Subtotal = new Money(-500, "USD"), Shipping = new Money(0, "USD"), Tax = new Money(0, "USD"), Total = new Money(-500, "USD") },
        };

        var errors = OrderValidator.Validate(order, TestOrders.Catalog).Errors;

        Assert.Contains(errors, e => e is { Field: "lines[0].unitPrice", Rule: "nonNegative" });
        Assert.Contains(errors, e => e is { Field: "totals.subtotal", Rule: "nonNegative" });
    }

    [Fact]
    public void Validate_BadAddressValues_MessagesNameFieldAndRuleNeverTheValue()
    {
        const string postal = "ZZ-CANARY-9Q";
        const string phone = "+1 555 0199 7777 1234 5678";
        const string province = "Canaryshire";
        const string country = "Canaryland";
        var order = TestOrders.Valid();
        order = order with { ShippingAddress = order.ShippingAddress with { PostalCode = postal, Phone = phone, Province = province } };
        var usErrors = OrderValidator.Validate(order, TestOrders.Catalog).Errors;
        var countryErrors = OrderValidator.Validate(order with { ShippingAddress = order.ShippingAddress with { CountryCode = country } }, TestOrders.Catalog).Errors;

        Assert.Contains(usErrors, e => e is { Field: "shippingAddress.postalCode", Rule: "postalCodeFormat" });
        Assert.Contains(usErrors, e => e is { Field: "shippingAddress.province", Rule: "subdivisionCode" });
        Assert.Contains(usErrors, e => e.Field == "shippingAddress.phone");
        Assert.Contains(countryErrors, e => e is { Field: "shippingAddress.countryCode", Rule: "iso3166" });
        foreach (var error in usErrors.Concat(countryErrors))
        {
            Assert.StartsWith(error.Field, error.Message, StringComparison.Ordinal);
            foreach (var canary in new[] { postal, phone, "0199", province, country })
            {
                Assert.DoesNotContain(canary, error.Message, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
