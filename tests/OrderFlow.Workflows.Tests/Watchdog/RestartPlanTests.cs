using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Watchdog;

namespace OrderFlow.Workflows.Tests.Watchdog;

/// <summary>Where a restarted order run may resume from its recorded progress, and when a restart is refused.</summary>
public sealed class RestartPlanTests
{
    [Theory]
    [InlineData(OrderStatus.Reserved, "", false, null)]
    [InlineData(OrderStatus.InFulfillment, "awaiting-confirmation", false, null)]
    [InlineData(OrderStatus.InFulfillment, "awaiting-confirmation", true, null)]
    [InlineData(OrderStatus.InFulfillment, "shipped", false, null)]
    [InlineData(OrderStatus.InFulfillment, "shipped,cancelled,rerouted", false, null)]
    [InlineData(OrderStatus.InFulfillment, "shipped,awaiting-confirmation", false, "in flight beside ones that shipped: o-F2 (awaiting-confirmation)")]
    [InlineData(OrderStatus.PartiallyFulfilled, "shipped", false, "waits for backordered units after shipping")]
    [InlineData(OrderStatus.InFulfillment, "delivered", true, "something already shipped")]
    [InlineData(OrderStatus.Fulfilled, "shipped", false, "already Fulfilled")]
    [InlineData(OrderStatus.Cancelled, "", true, "already Cancelled")]
    public void WhyNot_RecordedProgress_AllowsOrRefusesNamingWhy(OrderStatus status, string fulfillments, bool cancel, string? why)
    {
        var recorded = new RecordedProgress(status, [.. fulfillments.Split(',', StringSplitOptions.RemoveEmptyEntries).Select((s, i) =>
            new FulfillmentRecord($"o-F{i + 1}", "east", [new FulfillmentLine("MUG", 1)], s, null, null, null, null))]);

        var answer = RestartPlan.WhyNot(recorded, cancel);

        if (why is null)
        {
            Assert.Null(answer);
        }
        else
        {
            Assert.Contains(why, answer, StringComparison.Ordinal);
        }
    }
}
