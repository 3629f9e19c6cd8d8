using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Storage;

public sealed class TableAutoSplitStoreTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private readonly TableAutoSplitStore store = new(storage.Tables);

    [Fact]
    public async Task SaveListDelete_RoundTripsEachSkusRecordAndASaveReplacesIt()
    {
        var sku = $"MUG/{Guid.NewGuid():N}";
        var since = new DateTimeOffset(2031, 5, 1, 10, 0, 0, TimeSpan.Zero);
        var on = new AutoSplit(sku, 4, since, 750);

        await store.SaveAsync(on);
        Assert.Contains(on, await store.ListAsync());

        var quiet = on with { QuietSince = since.AddMinutes(5) };
        await store.SaveAsync(quiet);
        Assert.Equal(quiet, Assert.Single(await store.ListAsync(), s => s.Sku == sku));

        await store.DeleteAsync(sku);
        await store.DeleteAsync(sku);
        Assert.DoesNotContain(await store.ListAsync(), s => s.Sku == sku);
    }
}
