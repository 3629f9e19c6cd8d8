using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderFlow.Api;
using OrderFlow.Api.Options;

namespace OrderFlow.Api.Tests.RateLimiting;

/// <summary>The "RateLimiting" section as both hosts bind and validate it at start-up.</summary>
public sealed class RateLimitingOptionsTests
{
    [Fact]
    public void Bind_NoSettings_GivesTheDefaults()
    {
        var options = Resolve([]);

        Assert.Equal((600, 60, TimeSpan.FromMinutes(1)), (options.WebhookPermitLimit, options.ApprovalPermitLimit, options.Window));
    }

    [Theory]
    [InlineData("RateLimiting:WebhookPermitLimit", "0", "RateLimiting:WebhookPermitLimit must be between 1 and 1000000.")]
    [InlineData("RateLimiting:ApprovalPermitLimit", "0", "RateLimiting:ApprovalPermitLimit must be between 1 and 100000.")]
    [InlineData("RateLimiting:Window", "00:00:00", "RateLimiting:Window must be between 00:00:01 and 01:00:00.")]
    public void Validate_OutOfRange_FailsNamingTheKey(string key, string value, string message)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    private static RateLimitingOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging().AddOrderFlowApi(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
    }
}
