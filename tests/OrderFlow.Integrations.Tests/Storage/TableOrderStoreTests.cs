using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Domain.Orders;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Serialization;

namespace OrderFlow.Integrations.Tests.Storage;

public sealed class TableOrderStoreTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly TableOrderStore store = new(storage.Tables, NullLogger<TableOrderStore>.Instance);

    [Fact]
    public async Task CreateAsync_SameOrderTwice_SecondReturnsFalseAndKeepsOneRecord()
    {
        var order = TestOrders.Create();

        Assert.True(await store.CreateAsync(order, T0));
        Assert.False(await store.CreateAsync(order with { OrderNumber = "#changed" }, T0.AddMinutes(1)));

        var record = await store.GetAsync(order.OrderId);
        Assert.NotNull(record);
        Assert.Equal("#1001", record.Order.OrderNumber);
        Assert.Single(record.Timeline);
    }

    [Fact]
    public async Task GetAsync_AfterCreate_ReturnsCanonicalOrderWithReceivedStatus()
    {
        var order = TestOrders.Create();
        await store.CreateAsync(order, T0);

        var record = await store.GetAsync(order.OrderId);

        Assert.NotNull(record);
        Assert.Equal(OrderStatus.Received, record.Status);
        Assert.Equal(Json(order), Json(record.Order));
        Assert.Equal(5451, record.Order.Totals.Total.MinorUnits);
        Assert.Equal("USD", record.Order.Totals.Total.Currency);
        var entry = Assert.Single(record.Timeline);
        Assert.Equal("status", entry.Kind);
        Assert.Equal(T0, entry.At);
    }

    [Fact]
    public async Task UpdateShippingAddressAsync_KeepsStatusStoresAddressAndNotesWhoWithoutTheAddress()
    {
        var order = TestOrders.Create();
        await store.CreateAsync(order, T0);
        await store.TransitionAsync(order.OrderId, OrderStatus.OnHold, "held", T0.AddMinutes(1));
        var corrected = order.ShippingAddress with { Line1 = "42 Corrected Street", PostalCode = "10001" };

        await store.UpdateShippingAddressAsync(order.OrderId, corrected, "operator:sam", T0.AddMinutes(2));
        await store.UpdateShippingAddressAsync(order.OrderId, corrected, "operator:sam", T0.AddMinutes(3));

        var record = await store.GetAsync(order.OrderId);
        Assert.NotNull(record);
        Assert.Equal(OrderStatus.OnHold, record.Status);
        Assert.Equal(corrected, record.Order.ShippingAddress);
        Assert.Equal(order.Lines.Count, record.Order.Lines.Count);
        var note = Assert.Single(record.Timeline, t => t.Kind == "address");
        Assert.Equal("Shipping address corrected by operator:sam.", note.Message);
        Assert.DoesNotContain(record.Timeline, t => t.Message.Contains("Corrected Street", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_UnknownOrder_ReturnsNull()
    {
        Assert.Null(await store.GetAsync($"missing-{Guid.NewGuid():N}"));
    }

    [Fact]
    public async Task TransitionAsync_AllowedTransition_UpdatesStatusAndAppendsStatusEntry()
    {
        var order = TestOrders.Create();
        await store.CreateAsync(order, T0);

        await store.TransitionAsync(order.OrderId, OrderStatus.Validated, "All checks passed.", T0.AddSeconds(1));

        var record = await store.GetAsync(order.OrderId);
        Assert.Equal(OrderStatus.Validated, record!.Status);
        Assert.Equal(2, record.Timeline.Count);
        Assert.Equal("status", record.Timeline[1].Kind);
        Assert.Equal("Received -> Validated: All checks passed.", record.Timeline[1].Message);
    }

    [Fact]
    public async Task TransitionAsync_InvalidTransition_ThrowsAndLeavesStatusUnchanged()
    {
        var order = TestOrders.Create();
        await store.CreateAsync(order, T0);

        var ex = await Assert.ThrowsAsync<InvalidOrderTransitionException>(
            () => store.TransitionAsync(order.OrderId, OrderStatus.Fulfilled, "skip ahead", T0.AddSeconds(1)));

        Assert.Equal(OrderStatus.Received, ex.From);
        Assert.Equal(OrderStatus.Fulfilled, ex.To);
        var record = await store.GetAsync(order.OrderId);
        Assert.Equal(OrderStatus.Received, record!.Status);
        Assert.Single(record.Timeline);
    }

    [Fact]
    public async Task TransitionAsync_SameStatusTwice_IsNoOpWithoutDuplicateEntry()
    {
        var order = TestOrders.Create();
        await store.CreateAsync(order, T0);
        await store.TransitionAsync(order.OrderId, OrderStatus.Validated, "first", T0.AddSeconds(1));

        await store.TransitionAsync(order.OrderId, OrderStatus.Validated, "retried activity", T0.AddSeconds(2));

        var record = await store.GetAsync(order.OrderId);
        Assert.Equal(OrderStatus.Validated, record!.Status);
        Assert.Equal(2, record.Timeline.Count(t => t.Kind == "status"));
    }

    [Fact]
    public async Task TransitionAsync_ConcurrentSameTransition_OneStatusChangeRecorded()
    {
        var order = TestOrders.Create();
        await store.CreateAsync(order, T0);

        // Every call reads Received; the losers of the ETag race re-read, find Validated and stop.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            store.TransitionAsync(order.OrderId, OrderStatus.Validated, $"writer {i}", T0.AddSeconds(1))));

        var record = await store.GetAsync(order.OrderId);
        Assert.Equal(OrderStatus.Validated, record!.Status);
        Assert.Single(record.Timeline, t => t.Message.StartsWith("Received -> Validated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TransitionAsync_UnknownOrder_Throws()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => store.TransitionAsync($"missing-{Guid.NewGuid():N}", OrderStatus.Validated, "x", T0));
    }

    [Fact]
    public async Task GetAsync_TimelineAppendedOutOfOrder_ReturnsEntriesInTimeOrder()
    {
        var order = TestOrders.Create();
        await store.CreateAsync(order, T0);
        await store.AppendTimelineAsync(order.OrderId, new TimelineEntry(T0.AddMinutes(30), "email", "third"));
        await store.AppendTimelineAsync(order.OrderId, new TimelineEntry(T0.AddMinutes(10), "routing", "first"));
        await store.AppendTimelineAsync(order.OrderId, new TimelineEntry(T0.AddMinutes(20), "case", "second"));

        var record = await store.GetAsync(order.OrderId);

        Assert.Equal(["Received: order #1001 recorded.", "first", "second", "third"], record!.Timeline.Select(t => t.Message));
        Assert.Equal(record.Timeline.OrderBy(t => t.At).Select(t => t.At), record.Timeline.Select(t => t.At));
    }

    [Fact]
    public async Task UpsertFulfillmentAsync_SameIdTwice_KeepsLatestAndOrdersById()
    {
        var order = TestOrders.Create();
        await store.CreateAsync(order, T0);
        var f2 = OrderIds.Fulfillment(order.OrderId, 2);
        var f10 = OrderIds.Fulfillment(order.OrderId, 10);
        var f1 = OrderIds.Fulfillment(order.OrderId, 1);
        await store.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f10, "WH-B", [new FulfillmentLine("SKU-TEE", 1)], "planned", null, null, null, null));
        await store.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f2, "WH-B", [new FulfillmentLine("SKU-TEE", 1)], "planned", null, null, null, null));
        await store.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", [new FulfillmentLine("SKU-MUG", 2)], "planned", null, null, null, null));
        await store.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", [new FulfillmentLine("SKU-MUG", 2)], "shipped", "SandboxPost", "SBX1", "https://tracking.example/SBX1", "https://labels.example/SBX1.pdf"));

        var record = await store.GetAsync(order.OrderId);

        Assert.Equal([f1, f2, f10], record!.Fulfillments.Select(f => f.FulfillmentId));
        var first = record.Fulfillments[0];
        Assert.Equal("shipped", first.Status);
        Assert.Equal("SBX1", first.TrackingNumber);
        Assert.Equal(new FulfillmentLine("SKU-MUG", 2), Assert.Single(first.Lines));
    }

    [Theory]
    [InlineData("shipped", "awaiting-confirmation")]
    [InlineData("shipped", "on-hold")]
    [InlineData("cancelled", "awaiting-confirmation")]
    [InlineData("rerouted", "on-hold")]
    [InlineData("in-transit", "awaiting-confirmation")]
    public async Task UpsertFulfillmentAsync_LateEarlierStatusAfterAFinalOne_KeepsTheFinalOne(string final, string late)
    {
        // The soak found it: a host killed after the "awaiting-confirmation" write ran that activity again after the
        // parcel had shipped, and the order showed the shipped parcel as still waiting for its location.
        var order = TestOrders.Create();
        await store.CreateAsync(order, T0);
        var f1 = OrderIds.Fulfillment(order.OrderId, 1);
        await store.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", [new FulfillmentLine("SKU-MUG", 2)], "awaiting-confirmation", "SandboxPost", "SBX1", null, null));
        await store.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", [new FulfillmentLine("SKU-MUG", 2)], final, "SandboxPost", "SBX1", null, null));

        await store.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", [new FulfillmentLine("SKU-MUG", 2)], late, "SandboxPost", "SBX1", null, null));

        Assert.Equal(final, Assert.Single((await store.GetAsync(order.OrderId))!.Fulfillments).Status);
    }

    [Fact]
    public async Task UpsertFulfillmentAsync_OnHoldThenAwaitingConfirmation_MovesOn()
    {
        var order = TestOrders.Create();
        await store.CreateAsync(order, T0);
        var f1 = OrderIds.Fulfillment(order.OrderId, 1);
        await store.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", [new FulfillmentLine("SKU-MUG", 2)], "on-hold", null, null, null, null));

        await store.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", [new FulfillmentLine("SKU-MUG", 2)], "awaiting-confirmation", null, null, null, null));

        Assert.Equal("awaiting-confirmation", Assert.Single((await store.GetAsync(order.OrderId))!.Fulfillments).Status);
    }

    [Fact]
    public async Task UpsertFulfillmentAsync_ShippedAfterACarrierScan_KeepsTheCarrierStatus()
    {
        var order = TestOrders.Create();
        await store.CreateAsync(order, T0);
        var f1 = OrderIds.Fulfillment(order.OrderId, 1);
        var lines = new[] { new FulfillmentLine("SKU-MUG", 2) };
        await store.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", lines, "in-transit", "SandboxPost", "SBX2", null, null));
        await store.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", lines, "shipped", "SandboxPost", "SBX2", "https://tracking.example/SBX2", null));

        var fulfillment = Assert.Single((await store.GetAsync(order.OrderId))!.Fulfillments);

        Assert.Equal("in-transit", fulfillment.Status);
        Assert.Equal("https://tracking.example/SBX2", fulfillment.TrackingUrl);
    }

    [Fact]
    public async Task FindByTrackingAsync_FulfillmentWithLabel_FindsOrderAndFulfillment()
    {
        var order = TestOrders.Create();
        await store.CreateAsync(order, T0);
        var f1 = OrderIds.Fulfillment(order.OrderId, 1);
        var tracking = $"9405/{Guid.NewGuid():N}";
        await store.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", [new FulfillmentLine("SKU-MUG", 2)], "planned", null, null, null, null));
        Assert.Null(await store.FindByTrackingAsync(tracking));

        await store.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(f1, "WH-A", [new FulfillmentLine("SKU-MUG", 2)], "label-purchased", "USPS", tracking, "https://track.example/1", "https://labels.example/1.png"));

        Assert.Equal(new TrackedFulfillment(order.OrderId, f1), await store.FindByTrackingAsync(tracking));
        Assert.Null(await store.FindByTrackingAsync(tracking + "0"));
        // The index lives outside the order's partition: the order reads back with exactly its one fulfillment.
        Assert.Single((await store.GetAsync(order.OrderId))!.Fulfillments);
    }

    [Fact]
    public async Task CreateAsync_OrderIdWithReservedKeyCharacters_RoundTrips()
    {
        var order = TestOrders.Create($"odd/id#{Guid.NewGuid():N}?x\\y");

        Assert.True(await store.CreateAsync(order, T0));

        Assert.Equal(order.OrderId, (await store.GetAsync(order.OrderId))!.Order.OrderId);
    }

    private static string Json(Order order) => JsonSerializer.Serialize(order, IntegrationJson.Options);
}
