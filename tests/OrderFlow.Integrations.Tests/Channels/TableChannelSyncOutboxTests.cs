using OrderFlow.Integrations.Channels;
using OrderFlow.Integrations.Tests.Infrastructure;

namespace OrderFlow.Integrations.Tests.Channels;

/// <summary>The ChannelSync table on Azurite: the newest version of a SKU's levels wins, whatever the arrival order.</summary>
public sealed class TableChannelSyncOutboxTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private readonly TableChannelSyncOutbox outbox = new(storage.Tables);

    [Fact]
    public async Task RecordAsync_NewerVersion_ReplacesLevelsAndMarksDirty()
    {
        var sku = NewSku();

        await outbox.RecordAsync(sku, Levels(("WH-EAST", 5), ("WH-WEST", 2)), 1);
        await outbox.RecordAsync(sku, Levels(("WH-EAST", 3), ("WH-WEST", 2)), 2);

        var row = await outbox.GetAsync(sku);
        Assert.NotNull(row);
        Assert.Equal(2, row.Version);
        Assert.Equal(3, row.AvailableByLocation["WH-EAST"]);
        Assert.Equal(2, row.AvailableByLocation["WH-WEST"]);
        Assert.Contains(await outbox.ReadDirtyAsync(), r => r.Sku == sku);
    }

    [Fact]
    public async Task RecordAsync_OlderOrEqualVersion_IsIgnored()
    {
        var sku = NewSku();
        await outbox.RecordAsync(sku, Levels(("WH-EAST", 1)), 5);

        await outbox.RecordAsync(sku, Levels(("WH-EAST", 9)), 4);
        await outbox.RecordAsync(sku, Levels(("WH-EAST", 8)), 5);

        var row = await outbox.GetAsync(sku);
        Assert.Equal((5L, 1), (row!.Version, row.AvailableByLocation["WH-EAST"]));
    }

    [Fact]
    public async Task RecordAsync_ConcurrentVersionsInAnyOrder_KeepTheHighest()
    {
        var sku = NewSku();
        var versions = Enumerable.Range(1, 30).Reverse().Concat(Enumerable.Range(1, 30)).ToList();

        await Task.WhenAll(versions.Select(v => outbox.RecordAsync(sku, Levels(("WH-EAST", 1000 - v)), v)));

        var row = await outbox.GetAsync(sku);
        Assert.Equal((30L, 970), (row!.Version, row.AvailableByLocation["WH-EAST"]));
    }

    [Fact]
    public async Task RecordAsync_SkuWithCharactersTableKeysForbid_RoundTrips()
    {
        var sku = "MUG/RED#" + Guid.NewGuid().ToString("N")[..6];

        await outbox.RecordAsync(sku, Levels(("WH-EAST", 4)), 1);

        Assert.Equal(sku, (await outbox.GetAsync(sku))!.Sku);
    }

    [Fact]
    public async Task MarkPushedAsync_EveryChannelCaughtUp_ClearsDirty_ButANewerRecordMakesItDirtyAgain()
    {
        var sku = NewSku();
        await outbox.RecordAsync(sku, Levels(("WH-EAST", 4)), 1);

        await outbox.MarkPushedAsync(sku, "Shopify", 1, ["Shopify", "Amazon"]);
        Assert.Contains(await outbox.ReadDirtyAsync(), r => r.Sku == sku);
        await outbox.MarkPushedAsync(sku, "Amazon", 1, ["Shopify", "Amazon"]);
        Assert.DoesNotContain(await outbox.ReadDirtyAsync(), r => r.Sku == sku);

        await outbox.RecordAsync(sku, Levels(("WH-EAST", 3)), 2);
        var row = Assert.Single(await outbox.ReadDirtyAsync(), r => r.Sku == sku);
        Assert.Equal((2L, 1L, 1L), (row.Version, row.PushedTo("Shopify"), row.PushedTo("Amazon")));
    }

    private static string NewSku() => "SKU-" + Guid.NewGuid().ToString("N")[..10];

    private static Dictionary<string, int> Levels(params (string Location, int Available)[] levels) =>
        levels.ToDictionary(l => l.Location, l => l.Available);
}
