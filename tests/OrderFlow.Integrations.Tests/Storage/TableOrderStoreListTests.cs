using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Orders;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;

namespace OrderFlow.Integrations.Tests.Storage;

/// <summary>Reconciliation's range query (orders last updated in [from, to)) and the watchdog's (orders in a status since before a cutoff).</summary>
public sealed class TableOrderStoreListTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private static readonly DateTimeOffset Day = new(2031, 5, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TableOrderStore store = new(storage.Tables, NullLogger<TableOrderStore>.Instance);

    [Fact]
    public async Task ListOrdersAsync_OrdersCreatedAndCompletedAroundTheDay_ListsThoseLastUpdatedInIt()
    {
        var createdBefore = await CreateAsync("before", Day.AddHours(-1));
        var completedInDay = await CreateAsync("completed", Day.AddDays(-2));
        await store.TransitionAsync(completedInDay, OrderStatus.Validated, "valid", Day.AddHours(3));
        var createdInDay = await CreateAsync("created", Day.AddHours(23).AddMinutes(59));
        var movedOnAfter = await CreateAsync("moved", Day.AddHours(5));
        await store.TransitionAsync(movedOnAfter, OrderStatus.Validated, "valid", Day.AddDays(1));

        var ids = await store.ListOrdersAsync(Day, Day.AddDays(1), 100);

        Assert.Equal([completedInDay, createdInDay], ids.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(createdBefore, ids);
    }

    [Fact]
    public async Task ListOrdersAsync_MoreThanTheLimit_StopsAtTheLimit()
    {
        var from = Day.AddDays(10);
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync($"limit-{i}", from.AddHours(i));
        }

        Assert.Equal(2, (await store.ListOrdersAsync(from, from.AddDays(1), 2)).Count);
    }

    [Fact]
    public async Task ListOrdersInStatusAsync_OrdersInAndOutOfTheStatus_ListsOnlyThoseInItSinceBeforeTheCutoff()
    {
        var cutoff = Day.AddDays(20);
        var stuck = await CreateAsync("stuck", cutoff.AddHours(-5));
        await store.TransitionAsync(stuck, OrderStatus.Validated, "valid", cutoff.AddHours(-3));
        var recent = await CreateAsync("recent", cutoff.AddHours(-5));
        await store.TransitionAsync(recent, OrderStatus.Validated, "valid", cutoff.AddMinutes(1));
        var stillReceived = await CreateAsync("received", cutoff.AddHours(-5));

        // Other tests share the table: assert on this test's orders only.
        var found = await store.ListOrdersInStatusAsync(OrderStatus.Validated, cutoff, 10_000);

        var mine = Assert.Single(found, o => o.OrderId == stuck);
        Assert.Equal((OrderStatus.Validated, cutoff.AddHours(-3)), (mine.Status, mine.Since));
        Assert.DoesNotContain(found, o => o.OrderId == recent || o.OrderId == stillReceived);
        Assert.All(found, o => Assert.True(o.Status == OrderStatus.Validated && o.Since < cutoff));
    }

    private async Task<string> CreateAsync(string name, DateTimeOffset at)
    {
        var order = TestOrders.Create($"shopify-{name}-{Guid.NewGuid():N}");
        Assert.True(await store.CreateAsync(order, at));
        return order.OrderId;
    }
}
