using System.Text.Json;
using Moq;
using OrderFlow.Domain.Common;
using OrderFlow.Domain.Routing;
using OrderFlow.Testing.Ports;
using OrderFlow.Workflows.Activities;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;
using OrderFlow.Workflows.Tests.Harness;

namespace OrderFlow.Workflows.Tests.Activities;

/// <summary>
/// Revision 15 (FulfillmentRecordWithStep): the shared fulfillment record write (<see cref="FulfillmentRecordWriter"/>) and
/// the activities that carry a record (the hand-off, after it; the Shipped email, before it), with their inputs
/// serialized as before when they carry none.
/// </summary>
public sealed class FulfillmentRecordWithStepActivityTests
{
    private static readonly IReadOnlyList<FulfillmentLine> Lines = [new("MUG", 2)];

    private static readonly ShippingLabel Label = new("ups", "ground", "1Z15", "https://track.example.test/1Z15", "https://labels.example.test/1Z15", new Money(5_00, "USD"));

    private readonly FakeOrderStore orders = new(new ChangeFeed());

    private readonly FakeCustomerNotifier notifier = new(new ChangeFeed());

    [Fact]
    public async Task RecordFulfillmentActivity_WritesTheRecordAndItsTimelineEntry_AsTheWriterDoes()
    {
        var id = await this.OrderAsync("15001");
        var activity = new RecordFulfillmentActivity(this.orders, ActivityRun.Clock());

        Assert.True(await ActivityRun.RunAsync(activity, Update(id, "on-hold", Label, "AddressInvalid"), id));

        var record = Assert.Single(this.orders.Get(id).Fulfillments);
        Assert.Equal(($"{id}-F1", "east", "on-hold", "ups", "1Z15", "AddressInvalid"), (record.FulfillmentId, record.Location, record.Status, record.Carrier, record.TrackingNumber, record.HoldReason));
        Assert.Equal($"{id}-F1 is on-hold (AddressInvalid).", this.orders.Get(id).Timeline[^1].Message);
    }

    [Fact]
    public async Task DispatchFulfillmentActivity_CarriedRecord_WrittenAfterTheHandOff_TheLocationNeverSeesIt()
    {
        var id = await this.OrderAsync("15002");
        var provider = new FakeFulfillmentProvider(new ChangeFeed());
        var activity = new DispatchFulfillmentActivity(provider, this.orders, ActivityRun.Clock());

        var reference = await ActivityRun.RunAsync(activity, Dispatch(id, Update(id, "awaiting-confirmation", Label)), id);

        Assert.Equal($"pick-{id}-F1", reference);
        Assert.Null(Assert.Single(provider.Dispatches).Then);
        Assert.Equal("awaiting-confirmation", Assert.Single(this.orders.Get(id).Fulfillments).Status);
        Assert.Equal([$"{id}-F1 is awaiting-confirmation."], FulfillmentEntries(this.orders, id));
    }

    [Fact]
    public async Task DispatchFulfillmentActivity_HandOffFails_NoRecordWritten()
    {
        var id = await this.OrderAsync("15003");
        var provider = new Mock<IFulfillmentProvider>();
        provider.Setup(p => p.DispatchAsync(It.IsAny<FulfillmentDispatch>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TransientPortException("location down"));
        var activity = new DispatchFulfillmentActivity(provider.Object, this.orders, ActivityRun.Clock());

        await Assert.ThrowsAsync<TransientPortException>(() => ActivityRun.RunAsync(activity, Dispatch(id, Update(id, "awaiting-confirmation", Label)), id));

        Assert.Empty(this.orders.Get(id).Fulfillments);
        Assert.Empty(FulfillmentEntries(this.orders, id));
    }

    [Fact]
    public async Task DispatchFulfillmentActivity_RecordFails_FailsNamingTheRecord_ARetryHandsOffUnderTheSameKeyAndRecords()
    {
        var id = await this.OrderAsync("15004");
        var provider = new FakeFulfillmentProvider(new ChangeFeed());
        var activity = new DispatchFulfillmentActivity(provider, this.orders, ActivityRun.Clock());
        var dispatch = Dispatch(id, Update(id, "awaiting-confirmation", Label));
        this.orders.FailFulfillmentWrite.FailNext(1);

        var error = await Assert.ThrowsAsync<FulfillmentNotRecordedException>(() => ActivityRun.RunAsync(activity, dispatch, id));
        await ActivityRun.RunAsync(activity, dispatch, id);

        Assert.StartsWith($"Fulfillment {id}-F1 of order {id} was not recorded as awaiting-confirmation:", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, provider.Calls);
        Assert.Single(provider.Dispatches);
        Assert.Equal([$"{id}-F1 is awaiting-confirmation."], FulfillmentEntries(this.orders, id));
    }

    [Fact]
    public async Task NotifyCustomerActivity_CarriedRecord_WrittenBeforeTheEmail_TheNotifierNeverSeesIt()
    {
        var id = await this.OrderAsync("15005");
        var activity = new NotifyCustomerActivity(new RecordingNotifier(this.notifier, this.orders, id), this.orders, ActivityRun.Clock());
        var email = new CustomerNotification(id, Milestone.Shipped, $"{id}-F1", Before: Update(id, "shipped", Label));

        Assert.True(await ActivityRun.RunAsync(activity, email, id));

        var sent = Assert.Single(this.notifier.Sent);
        Assert.Null(sent.Before);
        Assert.Equal(new CustomerNotification(id, Milestone.Shipped, $"{id}-F1"), sent);
        Assert.Equal([$"{id}-F1 is shipped."], FulfillmentEntries(this.orders, id));
        Assert.Equal("shipped", Assert.Single(this.orders.Get(id).Fulfillments).Status);
    }

    [Fact]
    public async Task NotifyCustomerActivity_EmailFailsAfterTheRecord_TheRetryDoesNotRecordAgain()
    {
        var id = await this.OrderAsync("15006");
        var activity = new NotifyCustomerActivity(this.notifier, this.orders, ActivityRun.Clock());
        var email = new CustomerNotification(id, Milestone.Shipped, $"{id}-F1", Before: Update(id, "shipped", Label));
        this.notifier.FailAfterSend.FailNext(1);

        await Assert.ThrowsAsync<TransientPortException>(() => ActivityRun.RunAsync(activity, email, id));
        Assert.False(await ActivityRun.RunAsync(activity, email, id)); // sent by the first attempt

        Assert.Single(this.notifier.Sent);
        Assert.Equal([$"{id}-F1 is shipped."], FulfillmentEntries(this.orders, id));
    }

    [Fact]
    public async Task NotifyCustomerActivity_RecordFails_NoEmailSent_TheFailureIsTheRecords()
    {
        var id = await this.OrderAsync("15007");
        var activity = new NotifyCustomerActivity(this.notifier, this.orders, ActivityRun.Clock());
        this.orders.FailFulfillmentWrite.FailNext(1);

        var error = await Assert.ThrowsAsync<FulfillmentNotRecordedException>(() =>
            ActivityRun.RunAsync(activity, new CustomerNotification(id, Milestone.Shipped, $"{id}-F1", Before: Update(id, "shipped", Label)), id));

        Assert.IsType<TransientPortException>(error.InnerException);
        Assert.Empty(this.notifier.Sent);
        Assert.Empty(FulfillmentEntries(this.orders, id));
    }

    [Fact]
    public async Task NotifyCustomerActivity_ADifferentRecordStored_IsWritten_AnEmailWithoutARecordWritesNone()
    {
        var id = await this.OrderAsync("15008");
        await FulfillmentRecordWriter.WriteAsync(this.orders, ActivityRun.Clock(), Update(id, "awaiting-confirmation", Label));
        var activity = new NotifyCustomerActivity(this.notifier, this.orders, ActivityRun.Clock());

        await ActivityRun.RunAsync(activity, new CustomerNotification(id, Milestone.Shipped, $"{id}-F1", Before: Update(id, "shipped", Label)), id);
        await ActivityRun.RunAsync(activity, new CustomerNotification(id, Milestone.Delivered, $"{id}-F1"), id);

        Assert.Equal([$"{id}-F1 is awaiting-confirmation.", $"{id}-F1 is shipped."], FulfillmentEntries(this.orders, id));
        Assert.Equal(2, this.notifier.Sent.Count);
    }

    [Fact]
    public void Inputs_WithoutACarriedRecord_SerializeAsBefore_AndEarlierShapesStillRead()
    {
        var dispatch = new FulfillmentDispatch("shop-1", "shop-1-F1", "east", Lines, "1Z15", "shop-1:dispatch-shop-1-F1");
        var email = new CustomerNotification("shop-1", Milestone.Shipped, "shop-1-F1");
        const string DispatchJson = "{\"OrderId\":\"shop-1\",\"FulfillmentId\":\"shop-1-F1\",\"Location\":\"east\",\"Lines\":[{\"Sku\":\"MUG\",\"Quantity\":2}],\"TrackingNumber\":\"1Z15\",\"IdempotencyKey\":\"shop-1:dispatch-shop-1-F1\"}";
        const string EmailJson = "{\"OrderId\":\"shop-1\",\"Milestone\":1,\"FulfillmentId\":\"shop-1-F1\",\"Reference\":null,\"Details\":null,\"Key\":\"shop-1:Shipped:shop-1-F1\"}";

        Assert.Equal(DispatchJson, JsonSerializer.Serialize(dispatch));
        Assert.Equal(EmailJson, JsonSerializer.Serialize(email));
        Assert.Null(JsonSerializer.Deserialize<FulfillmentDispatch>(DispatchJson)!.Then);
        Assert.Equal(email, JsonSerializer.Deserialize<CustomerNotification>(EmailJson));
        var carried = JsonSerializer.Serialize(email with { Before = Update("shop-1", "shipped", Label) });
        Assert.Contains("\"Before\":{\"OrderId\":\"shop-1\",\"FulfillmentId\":\"shop-1-F1\"", carried, StringComparison.Ordinal);
        Assert.Equal("shipped", JsonSerializer.Deserialize<CustomerNotification>(carried)!.Before!.Status);
    }

    private static FulfillmentUpdate Update(string orderId, string status, ShippingLabel? label, string? holdReason = null) =>
        new(orderId, $"{orderId}-F1", "east", Lines, status, label, holdReason);

    private static FulfillmentDispatch Dispatch(string orderId, FulfillmentUpdate then) =>
        new(orderId, $"{orderId}-F1", "east", Lines, Label.TrackingNumber, $"{orderId}:dispatch-{orderId}-F1", then);

    private static List<string> FulfillmentEntries(FakeOrderStore orders, string orderId) =>
        [.. orders.TimelineOf(orderId, "fulfillment").Select(t => t.Message)];

    private async Task<string> OrderAsync(string number)
    {
        var order = TestOrders.Create(number, ("MUG", 2, 12_00));
        await this.orders.CreateAsync(order, ActivityRun.Now);
        return order.OrderId;
    }

    /// <summary>A notifier that checks the record is on the order when the email goes out.</summary>
    private sealed class RecordingNotifier(ICustomerNotifier inner, FakeOrderStore orders, string orderId) : ICustomerNotifier
    {
        public Task<bool> NotifyAsync(CustomerNotification notification, CancellationToken cancellationToken = default)
        {
            Assert.Equal("shipped", Assert.Single(orders.Get(orderId).Fulfillments).Status);
            Assert.Equal($"{orderId}-F1 is shipped.", orders.Get(orderId).Timeline[^1].Message);
            return inner.NotifyAsync(notification, cancellationToken);
        }
    }
}
