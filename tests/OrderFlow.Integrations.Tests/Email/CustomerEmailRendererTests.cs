using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Email;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Email;

public sealed class CustomerEmailRendererTests
{
    [Fact]
    public void Render_JpyOrder_FormatsAmountsWithoutDecimals()
    {
        var order = TestOrders.Create(currency: "JPY") with
        {
            Lines = [new LineItem("L1", "SKU-MUG", "Mug", 1, new Money(1500, "JPY"))],
            Totals = new OrderTotals(new(1500, "JPY"), new(500, "JPY"), new(0, "JPY"), new(0, "JPY"), new(2000, "JPY")),
        };

        var content = CustomerEmailRenderer.Render(new OrderRecord(order, OrderStatus.Validated, [], []), new CustomerNotification(order.OrderId, Milestone.OrderConfirmed, null), TestStore.Options());

        Assert.Contains("1500 JPY", content.TextBody, StringComparison.Ordinal);
        Assert.Contains("2000 JPY", content.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Discount", content.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShippedWithUnknownFulfillment_Throws()
    {
        var order = TestOrders.Create();

        Assert.Throws<InvalidOperationException>(() => CustomerEmailRenderer.Render(
            new OrderRecord(order, OrderStatus.InFulfillment, [], []),
            new CustomerNotification(order.OrderId, Milestone.Shipped, "nope"),
            TestStore.Options()));
    }

    [Fact]
    public void Render_NonHttpTrackingUrl_IsNotRenderedAsLink()
    {
        var order = TestOrders.Create();
        var fulfillment = new FulfillmentRecord("F1", "WH-A", [new("SKU-MUG", 2)], "shipped", "SandboxPost", "SBX1", "javascript:alert(1)", null);

        var content = CustomerEmailRenderer.Render(
            new OrderRecord(order, OrderStatus.InFulfillment, [fulfillment], []),
            new CustomerNotification(order.OrderId, Milestone.Shipped, "F1"),
            TestStore.Options());

        Assert.DoesNotContain("href=\"javascript:", content.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Your Demo Store order #1001 has shipped", content.Subject);
    }
}
