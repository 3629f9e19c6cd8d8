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
}
