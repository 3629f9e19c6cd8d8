using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Workflows.Tests.Harness;

/// <summary>Canonical orders as intake captures them, with totals that add up.</summary>
public static class TestOrders
{
    public const string Source = "shop";
    public const long Shipping = 5_00;

    public static Address ValidAddress { get; } = new("Ada Lovelace", "1 Analytical Way", null, "London", null, "N1 9GU", "GB", null);

    public static Order Create(string externalId, params (string Sku, int Quantity, long UnitPrice)[] lines) =>
        Create(externalId, ValidAddress, lines);

    public static Order Create(string externalId, Address address, params (string Sku, int Quantity, long UnitPrice)[] lines)
    {
        var items = lines
            .Select((l, i) => new LineItem($"L{i + 1}", l.Sku, $"Product {l.Sku}", l.Quantity, new Money(l.UnitPrice, "USD")))
            .ToList();
        var subtotal = items.Aggregate(Money.Zero("USD"), (sum, l) => sum + l.Total);
        var tax = new Money(subtotal.MinorUnits / 10, "USD");
        var shipping = new Money(Shipping, "USD");
        var discount = Money.Zero("USD");
        var totals = new OrderTotals(subtotal, shipping, tax, discount, subtotal + shipping + tax - discount);
        var orderId = OrderIds.For(Source, externalId);
        return new Order(
            orderId, Source, externalId, $"#{externalId}", new Customer("ada@example.test", "Ada", "Lovelace", "en-GB"), address,
            items, totals, "USD", $"pi_{externalId}", new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
    }
}
