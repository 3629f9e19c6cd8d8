using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderFlow.Api;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Api.Tests.Returns;

/// <summary>The "Returns" section as the hosts bind and validate it at start-up.</summary>
public sealed class ReturnOptionsTests
{
    [Fact]
    public void Bind_FlatSettings_GiveTheRules()
    {
        var options = Resolve(new()
        {
            ["Returns:WindowDays"] = "14",
            ["Returns:NonReturnableSkus"] = "GIFT-CARD, EARRINGS,,GIFT-CARD",
            ["Returns:RestockingFeePercent"] = "15",
            ["Returns:RestockingFeeFixedMinor"] = "199",
            ["Returns:RefundShipping"] = "true",
            ["Returns:ReceiveDeadline"] = "10.00:00:00",
        });

        var rules = options.ToRules();
        Assert.Equal((14, 15, 199L, true), (rules.WindowDays, rules.RestockingFeePercent, rules.RestockingFeeFixedMinor, rules.RefundShipping));
        Assert.Equal(["GIFT-CARD", "EARRINGS"], rules.NonReturnableSkus);
        Assert.Equal(TimeSpan.FromDays(10), options.ReceiveDeadline);
    }

    [Theory]
    [InlineData("Returns:RestockingFeePercent", "101", "Returns:RestockingFeePercent must be between 0 and 100.")]
    [InlineData("Returns:RestockingFeeFixedMinor", "-1", "Returns:RestockingFeeFixedMinor must be between 0")]
    [InlineData("Returns:WindowDays", "-3", "Returns:WindowDays must be between 0 and 3650.")]
    [InlineData("Returns:ReceiveDeadline", "00:00:00", "Returns:ReceiveDeadline must be between 1 second and 180 days.")]
    public void Validate_OutOfRange_FailsNamingTheKey(string key, string value, string message)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    private static ReturnOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging().AddOrderFlowApi(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ReturnOptions>>().Value;
    }
}
