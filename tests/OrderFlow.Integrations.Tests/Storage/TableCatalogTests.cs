using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Storage;

public sealed class TableCatalogTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private readonly TableCatalog catalog = new(storage.Tables);

    [Fact]
    public async Task FindSellableAsync_MixedSkus_ReturnsOnlyKnownSellableOnes()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var mug = $"SKU-MUG-{suffix}";
        var odd = $"SKU/ODD#1?{suffix}";
        var retired = $"SKU-OLD-{suffix}";
        await catalog.UpsertAsync(new CatalogItem(mug, "Ceramic Mug", true));
        await catalog.UpsertAsync(new CatalogItem(odd, "Odd key", true));
        await catalog.UpsertAsync(new CatalogItem(retired, "Retired", false));

        var sellable = await catalog.FindSellableAsync([mug, odd, retired, $"SKU-NONE-{suffix}", mug]);

        Assert.Equal(new HashSet<string>([mug, odd]), sellable.ToHashSet());
    }

    [Fact]
    public async Task UpsertAsync_ExistingSku_ReplacesItem()
    {
        var sku = $"SKU-TEE-{Guid.NewGuid():N}";
        await catalog.UpsertAsync(new CatalogItem(sku, "Logo T-Shirt", true));

        await catalog.UpsertAsync(new CatalogItem(sku, "Logo T-Shirt (v2)", false));

        Assert.Equal(new CatalogItem(sku, "Logo T-Shirt (v2)", false), await catalog.GetAsync(sku));
    }

    [Fact]
    public async Task GetAsync_UnknownSku_ReturnsNull()
    {
        Assert.Null(await catalog.GetAsync($"SKU-{Guid.NewGuid():N}"));
    }
}
