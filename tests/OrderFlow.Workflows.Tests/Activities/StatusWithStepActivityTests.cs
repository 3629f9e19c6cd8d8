using System.Text.Json;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Inventory;
using OrderFlow.Domain.Orders;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Options;
using OrderFlow.Workflows.Tests.Harness;
using static Microsoft.Extensions.Options.Options;

namespace OrderFlow.Workflows.Tests.Activities;

/// <summary>
/// Revision 14 (StatusWithStep): the shared status write (<see cref="OrderStatusWriter"/>) and the activities that carry
/// a status change (validation, routing, the sale's posting), with their inputs serialized as before when they carry none.
/// </summary>
public sealed class StatusWithStepActivityTests
{
    private readonly FakeOrderStore orders = new(new ChangeFeed());

    [Fact]
    public async Task ApplyAsync_AllowedMove_MovesTheOrderWithItsNote_AndARepeatAddsNothing()
    {
        var id = await this.OrderAsync("14001");
        var change = new StatusChange(id, OrderStatus.Validated, "valid");

        Assert.True(await OrderStatusWriter.ApplyAsync(this.orders, ActivityRun.Clock(), change));
        Assert.True(await OrderStatusWriter.ApplyAsync(this.orders, ActivityRun.Clock(), change)); // a retried activity

        Assert.Equal([OrderStatus.Received, OrderStatus.Validated], this.orders.HistoryOf(id));
        Assert.Equal(["Received.", "Validated: valid"], this.orders.Get(id).Timeline.Select(t => t.Message));
    }

    [Fact]
    public async Task ApplyAsync_RestartedRunPassingAPhaseTheOrderLeft_SkipsIt_AFirstRunIsRefused()
    {
        var id = await this.OrderAsync("14002");
        foreach (var status in new[] { OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment })
        {
            await this.orders.TransitionAsync(id, status, "before the stop", ActivityRun.Now);
        }

        Assert.False(await OrderStatusWriter.ApplyAsync(this.orders, ActivityRun.Clock(), new StatusChange(id, OrderStatus.Reserved, "again", Restarted: true)));
        await Assert.ThrowsAsync<InvalidOrderTransitionException>(() =>
            OrderStatusWriter.ApplyAsync(this.orders, ActivityRun.Clock(), new StatusChange(id, OrderStatus.Reserved, "again")));
        Assert.Equal(OrderStatus.InFulfillment, this.orders.StatusOf(id));
    }

    [Fact]
    public async Task UpdateOrderStatusActivity_WritesThroughTheSharedCode_SameResultAsTheWriter()
    {
        var id = await this.OrderAsync("14003");
        var activity = new UpdateOrderStatusActivity(this.orders, ActivityRun.Clock());

        Assert.True(await ActivityRun.RunAsync(activity, new StatusChange(id, OrderStatus.Validated, "valid"), id));
        Assert.False(await ActivityRun.RunAsync(activity, new StatusChange(id, OrderStatus.Received, "back", Restarted: true), id));

        Assert.Equal([OrderStatus.Received, OrderStatus.Validated], this.orders.HistoryOf(id));
    }

    [Fact]
    public async Task ApplyCarriedAsync_NoChange_WritesNothing_ARefusedMove_NamesTheStatusInTheError()
    {
        var id = await this.OrderAsync("14004");

        await OrderStatusWriter.ApplyCarriedAsync(this.orders, ActivityRun.Clock(), null);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            OrderStatusWriter.ApplyCarriedAsync(this.orders, ActivityRun.Clock(), new StatusChange(id, OrderStatus.Fulfilled, "1 of 1 fulfillment(s) shipped.")));

        Assert.StartsWith("Order status Fulfilled (\"1 of 1 fulfillment(s) shipped.\") was not recorded:", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOrderTransitionException>(error.InnerException);
        Assert.Equal([OrderStatus.Received], this.orders.HistoryOf(id));
    }

    [Fact]
    public async Task RouteOrderActivity_CarriedStatuses_ReservedBeforeTheRoutingEntry_InFulfillmentAfterIt()
    {
        var id = await this.OrderAsync("14005", OrderStatus.PaymentConfirmed);
        var reservations = new[] { new ReservationOutcome("MUG", true, 2, 3, [new StockAllocation("east", 2)]) };
        var request = new RouteOrderRequest(id, reservations, 1,
            Before: new StatusChange(id, OrderStatus.Reserved, "Stock: reserved 2 x MUG."),
            Then: new StatusChange(id, OrderStatus.InFulfillment, "Handed to 1 location(s)."));
        var activity = new RouteOrderActivity(this.orders, Create(new RoutingOptions()), ActivityRun.Clock());

        await ActivityRun.RunAsync(activity, request, id);
        await ActivityRun.RunAsync(activity, request, id); // delivered again after it ran through: no status written twice

        Assert.Equal([OrderStatus.Received, OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment], this.orders.HistoryOf(id));
        var timeline = this.orders.Get(id).Timeline.Select(t => t.Message).ToList();
        var reserved = timeline.IndexOf("Reserved: Stock: reserved 2 x MUG.");
        var routed = timeline.FindIndex(m => m.StartsWith("Routed to 1 fulfillment(s)", StringComparison.Ordinal));
        var handed = timeline.IndexOf("InFulfillment: Handed to 1 location(s).");
        Assert.True(reserved >= 0 && reserved < routed && routed < handed, string.Join(" | ", timeline));
        Assert.Single(timeline, m => m.StartsWith("Reserved:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RouteOrderActivity_CarriedReservedRefusedAndTheOrderNotRouted_FailsNamingTheStatus()
    {
        var id = await this.OrderAsync("14009", OrderStatus.Validated);
        var reservations = new[] { new ReservationOutcome("MUG", true, 2, 3, [new StockAllocation("east", 2)]) };
        var request = new RouteOrderRequest(id, reservations, 1,
            Before: new StatusChange(id, OrderStatus.Reserved, "Stock: reserved 2 x MUG."),
            Then: new StatusChange(id, OrderStatus.InFulfillment, "Handed to 1 location(s)."));
        var activity = new RouteOrderActivity(this.orders, Create(new RoutingOptions()), ActivityRun.Clock());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ActivityRun.RunAsync(activity, request, id));

        Assert.StartsWith("Order status Reserved (", error.Message, StringComparison.Ordinal);
        Assert.Empty(this.orders.Get(id).Fulfillments);
    }

    [Fact]
    public async Task PostSaleActivity_CarriedFinalStatus_WrittenAfterThePosting_AccountingNeverSeesIt_RetryPostsOnce()
    {
        var id = await this.OrderAsync("14006", OrderStatus.InFulfillment);
        var ledger = new FakeAccountingLedger(new ChangeFeed());
        ledger.FailAfterPost.FailNext(1);
        var usd = Money.Zero("USD");
        var entry = new SaleEntry(id, "#14006", new Money(2400, "USD"), new Money(240, "USD"), usd, usd, $"{id}:accounting",
            Then: new StatusChange(id, OrderStatus.Fulfilled, "1 of 1 fulfillment(s) shipped."));
        var activity = new PostSaleActivity(ledger, this.orders, ActivityRun.Clock());

        await Assert.ThrowsAsync<TransientPortException>(() => ActivityRun.RunAsync(activity, entry, id));
        Assert.Equal(OrderStatus.InFulfillment, this.orders.StatusOf(id)); // posted, then failed: no status yet
        await ActivityRun.RunAsync(activity, entry, id);

        Assert.Null(Assert.Single(ledger.Posted).Then);
        Assert.Equal(OrderStatus.Fulfilled, this.orders.StatusOf(id));
        Assert.Equal("Fulfilled: 1 of 1 fulfillment(s) shipped.", this.orders.Get(id).Timeline[^1].Message);
    }

    [Fact]
    public async Task ValidateOrderActivity_CarriedValidated_WrittenOnlyWhenTheOrderIsValid()
    {
        var catalog = new FakeCatalog();
        catalog.Add("MUG");
        var activity = new ValidateOrderActivity(this.orders, catalog, ActivityRun.Clock());
        var valid = await this.OrderAsync("14007");
        var invalid = TestOrders.Create("14008", ("TEE", 1, 12_00));
        await this.orders.CreateAsync(invalid, ActivityRun.Now);

        Assert.True((await ActivityRun.RunAsync(activity, new ValidateOrderRequest(valid, new StatusChange(valid, OrderStatus.Validated, "ok")), valid)).IsValid);
        Assert.False((await ActivityRun.RunAsync(activity, new ValidateOrderRequest(invalid.OrderId, new StatusChange(invalid.OrderId, OrderStatus.Validated, "ok")), invalid.OrderId)).IsValid);
        Assert.True((await ActivityRun.RunAsync(activity, new ValidateOrderRequest(valid), valid)).IsValid);

        Assert.Equal([OrderStatus.Received, OrderStatus.Validated], this.orders.HistoryOf(valid));
        Assert.Equal([OrderStatus.Received], this.orders.HistoryOf(invalid.OrderId));
    }

    [Fact]
    public void ValidateOrderRequest_ReadsTheBareOrderIdOfEarlierRevisions_AndRoundTripsTheRecord()
    {
        var bare = JsonSerializer.Deserialize<ValidateOrderRequest>("\"shop-1201\"");
        var carried = new ValidateOrderRequest("shop-1201", new StatusChange("shop-1201", OrderStatus.Validated, "ok"));
        var json = JsonSerializer.Serialize(carried);

        Assert.Equal(new ValidateOrderRequest("shop-1201"), bare);
        Assert.Equal("{\"OrderId\":\"shop-1201\",\"Then\":{\"OrderId\":\"shop-1201\",\"Status\":1,\"Note\":\"ok\"}}", json);
        Assert.Equal(carried, JsonSerializer.Deserialize<ValidateOrderRequest>(json));
        Assert.Equal("{\"OrderId\":\"shop-1201\"}", JsonSerializer.Serialize(new ValidateOrderRequest("shop-1201")));
        Assert.Equal(new ValidateOrderRequest("shop-1201"), JsonSerializer.Deserialize<ValidateOrderRequest>("{\"OrderId\":\"shop-1201\"}"));
    }

    [Fact]
    public void Inputs_WithoutACarriedStatus_SerializeAsBefore()
    {
        var usd = Money.Zero("USD");
        var route = new RouteOrderRequest("shop-1", [new ReservationOutcome("MUG", true, 2, 3, [new StockAllocation("east", 2)])], 1);
        var sale = new SaleEntry("shop-1", "#1", usd, usd, usd, usd, "shop-1:accounting");

        Assert.EndsWith("\"FirstNumber\":1}", JsonSerializer.Serialize(route), StringComparison.Ordinal);
        Assert.DoesNotContain("Before", JsonSerializer.Serialize(route), StringComparison.Ordinal);
        Assert.EndsWith("\"Reference\":\"shop-1:accounting\",\"Lines\":null,\"TaxLines\":null}", JsonSerializer.Serialize(sale), StringComparison.Ordinal);
    }

    private async Task<string> OrderAsync(string number, OrderStatus? at = null)
    {
        var order = TestOrders.Create(number, ("MUG", 2, 12_00));
        await this.orders.CreateAsync(order, ActivityRun.Now);
        var path = new[] { OrderStatus.Validated, OrderStatus.PaymentConfirmed, OrderStatus.Reserved, OrderStatus.InFulfillment };
        foreach (var status in path.TakeWhile(s => at is { } target && s <= target))
        {
            await this.orders.TransitionAsync(order.OrderId, status, "earlier", ActivityRun.Now);
        }

        return order.OrderId;
    }
}
