using OrderFlow.Domain.Common;
using OrderFlow.Domain.Orders;

namespace OrderFlow.Integrations.Tests.Infrastructure;

/// <summary>Canonical orders for adapter tests: 2 x SKU-MUG at 12.50 + 1 x SKU-TEE at 24.00, totals that add up.</summary>
public static class TestOrders
{
    public const string Email = "jane.doe@example.com";

    public static Order Create(string? orderId = null, string firstName = "Jane", string currency = "USD")
    {
        var id = orderId ?? $"test-{Guid.NewGuid():N}";
        Money M(long minor) => new(minor, currency);
        return new Order(
            id,
            "test",
            id,
            "#1001",
            new Customer(Email, firstName, "Doe", "en-US"),
            new Address("Jane Doe", "350 Fifth Avenue", "Apt 4B", "New York", "NY", "10118", "US", "+1 212-555-0147"),
            [
                new LineItem("L1", "SKU-MUG", "Ceramic Mug", 2, M(1250)),
                new LineItem("L2", "SKU-TEE", "Logo T-Shirt", 1, M(2400)),
            ],
            new OrderTotals(M(4900), M(699), M(352), M(500), M(5451)),
            currency,
            "pi_test_123",
            new DateTimeOffset(2026, 11, 20, 19, 32, 5, TimeSpan.Zero));
    }
}
