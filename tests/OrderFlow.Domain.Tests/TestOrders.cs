using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Domain.Tests;

/// <summary>Builds valid orders for tests; each test changes only what it is about.</summary>
public static class TestOrders
{
    public static Order Valid(string currency = "USD") => new(
        OrderIds.For("shopify", "1001"),
        "shopify",
        "1001",
        "#1001",
        new Customer("ada@example.com", "Ada", "Lovelace", "en"),
        new Address("Ada Lovelace", "1 Main St", null, "Springfield", "IL", "62701", "US", "+12175550100"),
        [
            new LineItem("1", "SKU-MUG", "Mug", 2, new Money(1250, currency)),
            new LineItem("2", "SKU-TEE", "Tee", 1, new Money(2000, currency)),
        ],
        new OrderTotals(new Money(4500, currency), new Money(500, currency), new Money(360, currency), new Money(0, currency), new Money(5360, currency)),
        currency,
        "pi_123",
        new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));

    public static IReadOnlySet<string> Catalog { get; } = new HashSet<string> { "SKU-MUG", "SKU-TEE" };
}
