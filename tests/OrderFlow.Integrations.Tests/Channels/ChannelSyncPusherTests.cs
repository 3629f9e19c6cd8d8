using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Integrations.Channels;
using OrderFlow.Domain.Inventory;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Integrations.Tests.Channels;

/// <summary>
/// The pusher over the real outbox on Azurite: bursts coalesce into one push of the latest levels, a failing channel
/// keeps its rows dirty for the next run without holding up other channels, and a change recorded during a push is not lost.
/// Each test works on its own SKUs (the table is shared by the class), so assertions look at those SKUs only.
/// </summary>
public sealed class ChannelSyncPusherTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private readonly TableChannelSyncOutbox outbox = new(storage.Tables);

    [Fact]
    public async Task RunOnceAsync_HundredRecordsOfOneSku_PushesOnceWithTheLastLevels()
    {
        var sku = NewSku();
        for (var version = 1; version <= 100; version++)
        {
            await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 100 - version, ["WH-WEST"] = version % 7 }, version);
        }

        var channel = new RecordingChannel("Shop");
        var run = await Pusher(channel).RunOnceAsync();
        await Pusher(channel).RunOnceAsync();

        var push = Assert.Single(channel.PushesOf(sku));
        Assert.Equal(
            [new ChannelStockLevel(sku, "WH-EAST", 0), new ChannelStockLevel(sku, "WH-WEST", 2)],
            push.OrderBy(l => l.Location, StringComparer.Ordinal));
        Assert.True(run.Pushed >= 1);
        Assert.Equal(100, (await outbox.GetAsync(sku))!.PushedTo("Shop"));
        Assert.DoesNotContain(await outbox.ReadDirtyAsync(), r => r.Sku == sku);
    }

    [Fact]
    public async Task RunOnceAsync_ChannelUnreachable_LeavesRowDirty_NextRunPushesIt()
    {
        var sku = NewSku();
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 6 }, 1);
        var channel = new RecordingChannel("Flaky") { Failure = new HttpRequestException("connection refused") };

        var failed = await Pusher(channel).RunOnceAsync();

        Assert.True(failed.Failed >= 1);
        Assert.Empty(channel.PushesOf(sku));
        var row = Assert.Single(await outbox.ReadDirtyAsync(), r => r.Sku == sku);
        Assert.Equal(0, row.PushedTo("Flaky"));

        channel.Failure = null;
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 5 }, 2);
        await Pusher(channel).RunOnceAsync();

        Assert.Equal([new ChannelStockLevel(sku, "WH-EAST", 5)], Assert.Single(channel.PushesOf(sku)));
        Assert.DoesNotContain(await outbox.ReadDirtyAsync(), r => r.Sku == sku);
    }

    [Fact]
    public async Task RunOnceAsync_OneChannelFails_OtherChannelStillGetsTheLevels_AndOnlyTheFailedOneIsRetried()
    {
        var sku = NewSku();
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 9 }, 3);
        var healthy = new RecordingChannel("Healthy");
        var broken = new RecordingChannel("Broken") { Failure = new SalesChannelRejectedException("NON_MUTABLE_INVENTORY_ITEM") };

        await Pusher(broken, healthy).RunOnceAsync();

        Assert.Single(healthy.PushesOf(sku));
        var row = Assert.Single(await outbox.ReadDirtyAsync(), r => r.Sku == sku);
        Assert.Equal((3L, 0L), (row.PushedTo("Healthy"), row.PushedTo("Broken")));

        broken.Failure = null;
        await Pusher(broken, healthy).RunOnceAsync();

        Assert.Single(healthy.PushesOf(sku));
        Assert.Single(broken.PushesOf(sku));
        Assert.DoesNotContain(await outbox.ReadDirtyAsync(), r => r.Sku == sku);
    }

    [Fact]
    public async Task RunOnceAsync_NewerVersionRecordedDuringThePush_StaysDirtyAndIsPushedNextRun()
    {
        var sku = NewSku();
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 10 }, 1);
        var channel = new RecordingChannel("Shop2");
        channel.During = async () =>
        {
            channel.During = null;
            await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 9 }, 2);
        };

        await Pusher(channel).RunOnceAsync();

        var row = Assert.Single(await outbox.ReadDirtyAsync(), r => r.Sku == sku);
        Assert.Equal((2L, 1L), (row.Version, row.PushedTo("Shop2")));

        await Pusher(channel).RunOnceAsync();

        Assert.Equal([10, 9], channel.PushesOf(sku).Select(p => Assert.Single(p).Available));
        Assert.DoesNotContain(await outbox.ReadDirtyAsync(), r => r.Sku == sku);
    }

    [Fact]
    public async Task RunOnceAsync_NoChannelConfigured_DoesNothing_AndTheOutboxStillRecords()
    {
        var sku = NewSku();
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 1 }, 1);

        var run = await Pusher().RunOnceAsync();

        Assert.Equal(ChannelSyncRun.Idle, run);
        Assert.Contains(await outbox.ReadDirtyAsync(), r => r.Sku == sku);
    }

    [Fact]
    public async Task RunOnceAsync_ChannelAddedLater_IsBackFilledWithEveryCleanSkuOnce()
    {
        var sku = NewSku();
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 2, ["WH-WEST"] = 5 }, 4);
        var first = new RecordingChannel("First" + NewName());
        await Pusher(first).RunOnceAsync();
        Assert.DoesNotContain(await outbox.ReadDirtyAsync(), r => r.Sku == sku);

        var added = new RecordingChannel("Added" + NewName());
        await Pusher(first, added).RunOnceAsync();
        await Pusher(first, added).RunOnceAsync();

        Assert.Equal(
            [new ChannelStockLevel(sku, "WH-EAST", 2), new ChannelStockLevel(sku, "WH-WEST", 5)],
            Assert.Single(added.PushesOf(sku)).OrderBy(l => l.Location, StringComparer.Ordinal));
        Assert.Single(first.PushesOf(sku));
        Assert.Equal(4, (await outbox.GetAsync(sku))!.PushedTo(added.Name));
        Assert.True(await outbox.IsBackfilledAsync(added.Name));
    }

    [Fact]
    public async Task RunOnceAsync_BackFillFails_IsNotMarkedAndTheNextRunBackFillsAgain()
    {
        var sku = NewSku();
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 8 }, 1);
        var first = new RecordingChannel("Old" + NewName());
        await Pusher(first).RunOnceAsync();
        var added = new RecordingChannel("Late" + NewName()) { Failure = new HttpRequestException("connection refused") };

        await Pusher(first, added).RunOnceAsync();

        Assert.False(await outbox.IsBackfilledAsync(added.Name));
        Assert.DoesNotContain(await outbox.ReadDirtyAsync(), r => r.Sku == sku);

        added.Failure = null;
        await Pusher(first, added).RunOnceAsync();

        Assert.Equal([new ChannelStockLevel(sku, "WH-EAST", 8)], Assert.Single(added.PushesOf(sku)));
        Assert.True(await outbox.IsBackfilledAsync(added.Name));
    }

    [Fact]
    public void Constructor_ChannelNameNotAlphanumeric_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Pusher(new RecordingChannel("my-shop")));
        Assert.Contains("my-shop", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnceAsync_SplitSku_PushesTheSkuOnceWithItsEntitiesLevelsSummed()
    {
        var sku = NewSku();
        var split = new InventoryOptions();
        split.SplitSkus[sku] = 3;
        await outbox.RecordAsync(sku, new Dictionary<string, int> { ["WH-EAST"] = 2, ["WH-WEST"] = 1 }, 5);
        await outbox.RecordAsync(StockShards.Key(sku, 1), new Dictionary<string, int> { ["WH-EAST"] = 4 }, 3);
        var channel = new RecordingChannel("Shop");

        await new ChannelSyncPusher(outbox, [channel], NullLogger<ChannelSyncPusher>.Instance, inventory: split).RunOnceAsync();
        // An order reserves 3 at the shard: only the shard's row changes, and the channel gets the SKU's new sum.
        await outbox.RecordAsync(StockShards.Key(sku, 1), new Dictionary<string, int> { ["WH-EAST"] = 1 }, 4);
        await new ChannelSyncPusher(outbox, [channel], NullLogger<ChannelSyncPusher>.Instance, inventory: split).RunOnceAsync();

        Assert.Empty(channel.PushesOf(StockShards.Key(sku, 1)));
        Assert.Equal(
            [
                [new ChannelStockLevel(sku, "WH-EAST", 6), new ChannelStockLevel(sku, "WH-WEST", 1)],
                [new ChannelStockLevel(sku, "WH-EAST", 3), new ChannelStockLevel(sku, "WH-WEST", 1)],
            ],
            channel.PushesOf(sku).Select(p => p.OrderBy(l => l.Location, StringComparer.Ordinal).ToList()));
        Assert.DoesNotContain(await outbox.ReadDirtyAsync(), r => StockShards.SkuOf(r.Sku) == sku);
    }

    private ChannelSyncPusher Pusher(params ISalesChannel[] channels) => new(outbox, channels, NullLogger<ChannelSyncPusher>.Instance);

    private static string NewName() => Guid.NewGuid().ToString("N")[..8];

    private static string NewSku() => "SKU-" + Guid.NewGuid().ToString("N")[..10];
}
