using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderFlow.Host;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Host.Tests.Inventory;

/// <summary>The reorder-suggestion settings bind from configuration and out-of-range values stop start-up naming the key.</summary>
public sealed class ReorderOptionsTests
{
    [Theory]
    [InlineData("Inventory:LeadTimeDays", "366", "Inventory:LeadTimeDays must be between 0 and 365")]
    [InlineData("Inventory:ReorderCoverDays", "0", "Inventory:ReorderCoverDays must be between 1 and 365")]
    [InlineData("Inventory:SalesWindowDays", "400", "Inventory:SalesWindowDays must be between 1 and 365")]
    [InlineData("Inventory:LeadTimes:MUG-1", "-3", "Inventory:LeadTimes:MUG-1 must be between 0 and 365 days")]
    public void Options_OutOfRange_FailsStartupNamingTheKey(string key, string value, string expected)
    {
        using var provider = Build(new Dictionary<string, string?> { [key] = value });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<InventoryOptions>>().Value);

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_PerSkuLeadTime_OverridesTheDefaultForThatSkuOnly()
    {
        using var provider = Build(new Dictionary<string, string?> { ["Inventory:LeadTimes:MUG-1"] = "30", ["Inventory:LeadTimeDays"] = "10" });

        var options = provider.GetRequiredService<IOptions<InventoryOptions>>().Value;

        Assert.Equal((30, 10), (options.LeadTimeFor("MUG-1"), options.LeadTimeFor("TEE-2")));
        Assert.Equal((14, 28), (options.ReorderCoverDays, options.SalesWindowDays));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["Engine:Backend"] = "InMemory";
        var services = new ServiceCollection();
        services.AddOrderFlowHost(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
