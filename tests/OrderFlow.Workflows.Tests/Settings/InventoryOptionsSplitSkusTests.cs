using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Workflows.Tests.Settings;

/// <summary><c>Inventory:SplitSkus</c>: bound from configuration, validated at start-up with a message naming the setting.</summary>
public sealed class InventoryOptionsSplitSkusTests
{
    [Fact]
    public void Bind_SplitSkus_ShardsPerSkuAndOneForTheRest()
    {
        var options = Bind(new() { ["Inventory:SplitSkus:MUG-1"] = "8" });

        Assert.Equal(8, options.ShardsOf("MUG-1"));
        Assert.Equal(1, options.ShardsOf("TEE"));
        Assert.Empty(options.Validate(new ValidationContext(options)));
    }

    [Theory]
    [InlineData("MUG-1", "0", "Inventory:SplitSkus:MUG-1 must be between 1 (not split) and 16 shards (was 0).")]
    [InlineData("MUG-1", "17", "Inventory:SplitSkus:MUG-1 must be between 1 (not split) and 16 shards (was 17).")]
    [InlineData("MUG~shard2", "2", "Inventory:SplitSkus:MUG~shard2 does not name a SKU (a SKU ending in ~shard<n> would read as a shard's key).")]
    public void Validate_BadSplit_ClearMessage(string sku, string shards, string message)
    {
        var options = Bind(new() { [$"Inventory:SplitSkus:{sku}"] = shards });

        Assert.Equal([message], options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage));
    }

    private static InventoryOptions Bind(Dictionary<string, string?> values)
    {
        var options = new InventoryOptions();
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(InventoryOptions.Section).Bind(options);
        return options;
    }
}
