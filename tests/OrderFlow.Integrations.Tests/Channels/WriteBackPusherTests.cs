using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Domain.Cases;
using OrderFlow.Domain.Routing;
using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Integrations.Tests.Channels;

/// <summary>
/// The write-back pusher over the real outbox, order store and case queue on Azurite: pending writes go out oldest
/// first per order and are done once; a refused write opens a ChannelSyncFailed case naming the order and is not
/// resent; an outage backs the row off, holds the order's later writes, and opens the channel's case once it lasts.
/// Each test uses its own channel name.
/// </summary>
public sealed class WriteBackPusherTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly TableWriteBackOutbox outbox = new(storage.Tables);
    private readonly TableOrderStore orders = new(storage.Tables, NullLogger<TableOrderStore>.Instance);
    private readonly ManualClock clock = new(Start);
    private readonly Mock<IApproverAlert> alert = new();

    [Fact]
    public async Task RunOnceAsync_PendingWrites_SendsThemOldestFirstWithTheParcelAndMarksThemDone()
    {
        var writer = new RecordingStorefrontWriter(NewName());
        var orderId = await CreateOrderAsync();
        await outbox.RecordAsync(orderId, writer.Channel, WriteBackOps.Complete, null, Start.AddSeconds(2));
        await outbox.RecordAsync(orderId, writer.Channel, WriteBackOps.Fulfillment, "F-1", Start.AddSeconds(1));
        var (pusher, _) = Pusher(TimeSpan.FromMinutes(30), writer);

        var run = await pusher.RunOnceAsync();
        await pusher.RunOnceAsync();

        Assert.Equal((2, 0), run);
        var writes = writer.Writes.ToList();
        Assert.Equal([WriteBackOps.Fulfillment, WriteBackOps.Complete], writes.Select(w => w.Op));
        Assert.Equal("fulfillment|F-1", writes[0].Key);
        Assert.Equal("1Z999AA10123456784", writes[0].Fulfillment!.TrackingNumber);
        Assert.Equal(orderId, writes[1].Order.Order.OrderId);
        Assert.Empty(await PendingOf(orderId));
    }

    [Fact]
    public async Task RunOnceAsync_RefundRow_SendsTheAmountUnderTheRefundsMarkerKeyOnce()
    {
        var writer = new RecordingStorefrontWriter(NewName());
        var orderId = await CreateOrderAsync();
        var refundKey = $"{orderId}:refund-return-R1";
        await outbox.RecordRefundAsync(orderId, writer.Channel, refundKey, new OrderFlow.Domain.Common.Money(1299, "USD"), Start);
        await outbox.RecordRefundAsync(orderId, writer.Channel, refundKey, new OrderFlow.Domain.Common.Money(1299, "USD"), Start.AddSeconds(5));
        var (pusher, _) = Pusher(TimeSpan.FromMinutes(30), writer);

        await pusher.RunOnceAsync();
        await pusher.RunOnceAsync();

        var write = Assert.Single(writer.Writes);
        Assert.Equal((WriteBackOps.Refund, $"refund|{refundKey}", new OrderFlow.Domain.Common.Money(1299, "USD")), (write.Op, write.Key, write.Amount));
        Assert.Null(write.Fulfillment);
        Assert.Empty(await PendingOf(orderId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunOnceAsync_StorefrontRefuses_OpensOneCaseNamingTheOrderAndDoesNotResend(bool asHttp404)
    {
        var writer = new RecordingStorefrontWriter(NewName())
        {
            Failure = asHttp404
                ? new HttpRequestException("WooCommerce order read answered HTTP 404 woocommerce_rest_shop_order_invalid_id after retries.", null, HttpStatusCode.NotFound)
                : new SalesChannelRejectedException("Shopify orderCancel refused the write: INVALID at orderId: Cannot cancel an order that has been refunded."),
        };
        var orderId = await CreateOrderAsync();
        await outbox.RecordAsync(orderId, writer.Channel, WriteBackOps.Cancel, null, Start);
        var (pusher, cases) = Pusher(TimeSpan.FromMinutes(30), writer);

        await pusher.RunOnceAsync();
        writer.Failure = null;
        await pusher.RunOnceAsync();

        var opened = Assert.Single(await cases.ListOpenAsync(), c => c.OrderId == orderId);
        Assert.Equal(ExceptionReason.ChannelSyncFailed, opened.Reason);
        Assert.Equal("writeback-cancel", opened.Step);
        Assert.True(opened.NamesAnOrder);
        Assert.Equal("Order", opened.Subject);
        Assert.Equal(OpenCaseRequest.NoWorkflow, opened.WorkflowId);
        Assert.Contains(writer.Channel, opened.Error, StringComparison.Ordinal);
        Assert.Contains(asHttp404 ? "woocommerce_rest_shop_order_invalid_id" : "Cannot cancel an order that has been refunded", opened.Error, StringComparison.Ordinal);
        alert.Verify(a => a.AlertAsync(It.Is<ExceptionCase>(c => c.CaseId == opened.CaseId), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(writer.Writes);
        Assert.Empty(await PendingOf(orderId));
        Assert.Equal(opened.CaseId, (await outbox.GetAsync(orderId, WriteBackOps.Cancel))!.GetString("CaseId"));
    }

    [Fact]
    public async Task RunOnceAsync_Outage_BacksOffHoldsTheOrdersLaterWritesAndOpensTheChannelCaseOnceItLasts()
    {
        var writer = new RecordingStorefrontWriter(NewName()) { Failure = new HttpRequestException("Shopify fulfillmentCreate answered HTTP 503 after retries.", null, HttpStatusCode.ServiceUnavailable) };
        var orderId = await CreateOrderAsync();
        await outbox.RecordAsync(orderId, writer.Channel, WriteBackOps.Fulfillment, "F-1", Start);
        await outbox.RecordAsync(orderId, writer.Channel, WriteBackOps.Complete, null, Start.AddSeconds(1));
        var (pusher, cases) = Pusher(TimeSpan.FromMinutes(30), writer);

        await pusher.RunOnceAsync();
        var row = Assert.Single(await PendingOf(orderId), r => r.Op == WriteBackOps.Fulfillment);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(Start + TimeSpan.FromMinutes(1), row.NextAttemptAt);

        // Within the backoff nothing of the order is tried, not even its later write.
        writer.Failure = null;
        clock.Advance(TimeSpan.FromSeconds(30));
        await pusher.RunOnceAsync();
        Assert.Empty(writer.Writes);
        Assert.Empty(await ChannelCases(cases, writer.Channel));

        // Still down 40 minutes later: the write-back streak opens the channel's case.
        writer.Failure = new HttpRequestException("connection refused");
        clock.Advance(TimeSpan.FromMinutes(40));
        await pusher.RunOnceAsync();
        var opened = Assert.Single(await ChannelCases(cases, writer.Channel));
        Assert.False(opened.NamesAnOrder);
        Assert.Contains("written back", opened.Error, StringComparison.Ordinal);
        Assert.Contains("connection refused", opened.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(await cases.ListOpenAsync(), c => c.OrderId == orderId);

        // Back up: both writes go out in order, once.
        writer.Failure = null;
        clock.Advance(TimeSpan.FromHours(1));
        await pusher.RunOnceAsync();
        await pusher.RunOnceAsync();
        Assert.Equal([WriteBackOps.Fulfillment, WriteBackOps.Complete], writer.Writes.Select(w => w.Op));
        Assert.Empty(await PendingOf(orderId));
    }

    [Fact]
    public async Task RunOnceAsync_WriterOff_LeavesTheRowsPending()
    {
        var writer = new RecordingStorefrontWriter(NewName()) { Enabled = false };
        var orderId = await CreateOrderAsync();
        await outbox.RecordHoldAsync(orderId, writer.Channel, onHold: true, Start);
        var (pusher, _) = Pusher(TimeSpan.Zero, writer);

        await pusher.RunOnceAsync();

        Assert.Empty(writer.Writes);
        Assert.Equal(WriteBackOps.Hold, Assert.Single(await PendingOf(orderId)).Op);
    }

    [Fact]
    public async Task ChannelSyncPusher_RunOnceAsync_WithoutStockChannels_StillSendsTheWriteBacks()
    {
        var writer = new RecordingStorefrontWriter(NewName());
        var orderId = await CreateOrderAsync();
        await outbox.RecordHoldAsync(orderId, writer.Channel, onHold: true, Start);
        var (writeBack, _) = Pusher(TimeSpan.Zero, writer);
        var pusher = new ChannelSyncPusher(new TableChannelSyncOutbox(storage.Tables), [], NullLogger<ChannelSyncPusher>.Instance, null, writeBack);

        await pusher.RunOnceAsync();

        Assert.Equal(WriteBackOps.Hold, Assert.Single(writer.Writes).Op);
    }

    private (WriteBackPusher Pusher, TableExceptionQueue Cases) Pusher(TimeSpan failureCaseAfter, params IStorefrontWriter[] writers)
    {
        var cases = new TableExceptionQueue(storage.Tables, alert.Object, clock, NullLogger<TableExceptionQueue>.Instance);
        var failures = new ChannelSyncFailures(
            new TableChannelSyncOutbox(storage.Tables), cases, Options.Create(new ChannelsOptions { FailureCaseAfter = failureCaseAfter }), clock, NullLogger<ChannelSyncFailures>.Instance);
        return (new WriteBackPusher(outbox, orders, writers, failures, cases, clock, NullLogger<WriteBackPusher>.Instance), cases);
    }

    private async Task<string> CreateOrderAsync()
    {
        var order = TestOrders.Create($"shopify-{Guid.NewGuid():N}");
        await orders.CreateAsync(order, Start);
        await orders.UpsertFulfillmentAsync(order.OrderId, new FulfillmentRecord(
            "F-1", "WH-EAST", [new FulfillmentLine("SKU-MUG", 2)], FulfillmentConfirmation.Shipped, "UPS", "1Z999AA10123456784", "https://www.ups.com/track?tracknum=1Z999AA10123456784", null));
        return order.OrderId;
    }

    private async Task<List<WriteBackRow>> PendingOf(string orderId) => (await outbox.ReadPendingAsync()).Where(r => r.OrderId == orderId).ToList();

    private static async Task<List<ExceptionCase>> ChannelCases(TableExceptionQueue cases, string channel) =>
        (await cases.ListOpenAsync()).Where(c => c.OrderId == $"channel-{channel.ToLowerInvariant()}").ToList();

    private static string NewName() => "Wb" + Guid.NewGuid().ToString("N")[..8];
}
